// Bundles the offline playground (GraphiQL 5 + Monaco and its workers) into dist/playground, with
// the example operations of operations/ preloaded as tabs. Nothing is fetched from a CDN at run time:
// the page, its styles (fonts are inlined data URLs) and every worker are served by the gateway.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const OUT = 'dist/playground';
const PUBLIC = '/playground/assets';
fs.rmSync(OUT, { recursive: true, force: true });

const common = {
  bundle: true,
  minify: true,
  target: 'es2022',
  outdir: `${OUT}/assets`,
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
};
// Entry points are named, so outputs are found by name (node_modules may be a symlink elsewhere).
const outputFor = (metafile, name, extension = '.js') => {
  const file = Object.keys(metafile.outputs).find(
    (f) => path.basename(f).startsWith(`${name}-`) && f.endsWith(extension),
  );
  if (!file) throw new Error(`esbuild produced no ${extension} output for ${name}`);
  return `${PUBLIC}/${path.basename(file)}`;
};

// Monaco's workers, as classic scripts (module workers are not needed and load slower).
const workerEntries = {
  'editor.worker': 'node_modules/monaco-editor/esm/vs/editor/editor.worker.js',
  'json.worker': 'node_modules/monaco-editor/esm/vs/language/json/json.worker.js',
  'graphql.worker': 'node_modules/monaco-graphql/esm/graphql.worker.js',
};
const workers = await build({ ...common, entryPoints: workerEntries, format: 'iife' });
const workerUrls = Object.fromEntries(
  ['editor', 'json', 'graphql'].map((label) => [label, outputFor(workers.metafile, `${label}.worker`)]),
);

const app = await build({
  ...common,
  entryPoints: { playground: 'playground/src/main.tsx' },
  format: 'esm',
  splitting: false,
  jsx: 'automatic',
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
  define: {
    'process.env.NODE_ENV': '"production"',
    __MONACO_WORKERS__: JSON.stringify(workerUrls),
    __PLAYGROUND_TABS__: JSON.stringify(exampleTabs('operations')),
  },
});
const script = outputFor(app.metafile, 'playground');
const stylesheet = outputFor(app.metafile, 'playground', '.css');

fs.writeFileSync(
  `${OUT}/index.html`,
  `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>kpi-gateway playground</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${stylesheet}" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading the playground…</div>
    <script type="module" src="${script}"></script>
  </body>
</html>
`,
);

/**
 * One tab per operation, in the order of operations/example-variables.json: the operation, the
 * fragments it spreads and its example variables.
 */
function exampleTabs(dir) {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort();
  const texts = files.map((f) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8').trim() }));
  const fragments = new Map();
  const operations = new Map();
  // The playground's fetcher speaks HTTP only: subscriptions have example variables but no tab.
  // Mutations neither: a tab would create uploads in whatever gateway the playground is open on.
  const subscriptions = new Set();
  for (const { file, text } of texts) {
    for (const m of text.matchAll(/^(?:subscription|mutation)\s+(\w+)/gm)) subscriptions.add(m[1]);
    for (const m of text.matchAll(/^fragment\s+(\w+)/gm)) fragments.set(m[1], text);
    for (const m of text.matchAll(/^query\s+(\w+)/gm)) operations.set(m[1], { file, text });
  }
  const variables = JSON.parse(fs.readFileSync(path.join(dir, 'example-variables.json'), 'utf8'));
  const untabbed = [...operations.keys()].filter((name) => !(name in variables));
  if (untabbed.length > 0)
    throw new Error(`operations/example-variables.json has no variables for ${untabbed.join(', ')}`);
  const tabbed = Object.entries(variables).filter(([name]) => !subscriptions.has(name));
  return tabbed.map(([name, values]) => {
    const operation = operations.get(name);
    if (!operation)
      throw new Error(
        `operations/example-variables.json names ${name}, which no file in operations/ defines`,
      );
    const used = [...new Set([...operation.text.matchAll(/\.\.\.(\w+)/g)].map((m) => m[1]))];
    const missing = used.filter((n) => !fragments.has(n));
    if (missing.length > 0)
      throw new Error(`${operation.file} spreads unknown fragments: ${missing.join(', ')}`);
    return {
      query: `${[operation.text, ...used.map((n) => fragments.get(n))].join('\n\n')}\n`,
      variables: JSON.stringify(values, null, 2),
    };
  });
}
