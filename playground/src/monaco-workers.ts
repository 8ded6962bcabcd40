/**
 * GraphiQL 5 edits with Monaco, which runs language services in web workers. Its packaged setups
 * load the workers from esm.sh or rely on a Vite/webpack loader; we bundle each worker with
 * esbuild (scripts/build-playground.mjs) and point Monaco at those files, so nothing leaves the
 * gateway. Imported first: Monaco reads MonacoEnvironment when the first editor starts.
 */
declare const __MONACO_WORKERS__: {
  readonly editor: string;
  readonly json: string;
  readonly graphql: string;
};

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    if (label === 'json') return new Worker(__MONACO_WORKERS__.json, { name: label });
    if (label === 'graphql') return new Worker(__MONACO_WORKERS__.graphql, { name: label });
    return new Worker(__MONACO_WORKERS__.editor, { name: label });
  },
};

export {};
