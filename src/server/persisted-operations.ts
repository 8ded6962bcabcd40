import fs from 'node:fs';
import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import { GraphQLError, Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { AppError, ErrorCode } from '../errors/app-error';
import { requestScope } from '../graphql/request-scope';
import { canonicalForm } from './operation-canonical-form';

/**
 * Persisted operations. Apollo's automatic persisted queries (APQ) look a query up by the sha256
 * of its text; this store answers first from the registered operations (codegen's
 * `persisted-documents.json`, generated from `operations/`), so dashboards can send only the hash
 * from the very first request, and GET requests by hash are short, cacheable URLs.
 * Clients send the registered operations in their own form (Apollo Client and urql add
 * `__typename` and print the document they were given); a form equivalent to a registered
 * operation (see operation-canonical-form.ts) is accepted and remembered under the client's own
 * hash, so its later requests by hash alone work too. In allow-list mode nothing else runs and
 * nothing else can be registered.
 * Operations registered at run time (APQ, and clients' forms) belong to the access (roles and
 * dataset scopes) of the caller that registered them: a caller with other access cannot run them
 * by hash, nor learn from a hit that someone asked about a dataset it cannot see.
 */
type KeyValueCache = NonNullable<PersistedQueryOptions['cache']>;

/** Stable error code of an operation refused in allow-list mode. */
export const OPERATION_NOT_ALLOWED = 'OPERATION_NOT_ALLOWED';
/** Apollo prefixes every APQ key with this. */
const APQ_PREFIX = 'apq:';
/** Ad-hoc APQ registrations (open mode) or clients' forms of registered operations kept; the oldest go first. */
const MAX_DYNAMIC_OPERATIONS = 2000;

export interface PersistedOperations {
  readonly allowListOnly: boolean;
  /** sha256 (hex) → query text of every registered operation. */
  readonly registered: ReadonlyMap<string, string>;
  readonly store: KeyValueCache;
  /** Refuses unregistered operations in allow-list mode; does nothing otherwise. */
  readonly plugin: ApolloServerPlugin;
}

/** Reads codegen's manifest: `{ "sha256:<hex>": "<query text>" }`. */
export function readManifest(file: string): Map<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError(ErrorCode.CONFIG_INVALID, `The persisted operations manifest ${file} cannot be read`, {
      cause: error,
    });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `The persisted operations manifest ${file} is not a JSON object`,
    );
  const registered = new Map<string, string>();
  for (const [key, query] of Object.entries(raw as Record<string, unknown>)) {
    const hash = /^sha256:([0-9a-f]{64})$/.exec(key)?.[1];
    if (!hash || typeof query !== 'string')
      throw new AppError(
        ErrorCode.CONFIG_INVALID,
        `The persisted operations manifest ${file} has an entry that is not "sha256:<hex>": "<query>" (${key})`,
      );
    registered.set(hash, query);
  }
  return registered;
}

export function createPersistedOperations(
  registered: ReadonlyMap<string, string>,
  allowListOnly: boolean,
): PersistedOperations {
  const forms = registeredForms(registered);
  /** access + hash → text: ad-hoc registrations (open mode), clients' forms of registered operations (both modes). */
  const dynamic = new Map<string, string>();
  // A newline never occurs in an access string or a hash, so partitions cannot collide.
  const dynamicKey = (hash: string) => `${requestScope.getStore()?.access ?? ''}\n${hash}`;
  const remember = (hash: string, text: string) => {
    const key = dynamicKey(hash);
    dynamic.delete(key);
    dynamic.set(key, text);
    if (dynamic.size > MAX_DYNAMIC_OPERATIONS) dynamic.delete(dynamic.keys().next().value as string);
  };
  const store: KeyValueCache = {
    async get(key) {
      const hash = withoutPrefix(key);
      const fixed = registered.get(hash);
      if (fixed !== undefined) return fixed;
      const known = dynamic.get(dynamicKey(hash));
      // Re-inserted so the most recently used entries survive eviction.
      if (known !== undefined) remember(hash, known);
      return known;
    },
    async set(key, value) {
      const hash = withoutPrefix(key);
      // In allow-list mode only what the plugin accepted (already remembered) may be stored.
      if (registered.has(hash) || (allowListOnly && !dynamic.has(dynamicKey(hash)))) return;
      remember(hash, value);
    },
    async delete(key) {
      return dynamic.delete(dynamicKey(withoutPrefix(key)));
    },
  };
  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      if (!allowListOnly) return;
      return {
        async didResolveOperation({ queryHash, document, source }) {
          if (
            registered.has(queryHash) ||
            dynamic.has(dynamicKey(queryHash)) ||
            isIntrospectionOnly(document)
          )
            return;
          if (forms.matches(document)) return void remember(queryHash, source);
          throw new GraphQLError(
            'Only registered operations run on this gateway (allow-list mode); register the operation in operations/ and send its hash.',
            {
              extensions: { code: OPERATION_NOT_ALLOWED, http: { status: 403 } },
            },
          );
        },
      };
    },
  };
  return { allowListOnly, registered, store, plugin };
}

function withoutPrefix(key: string): string {
  return key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key;
}

/**
 * The canonical forms of the registered operations. Only a document whose operations all carry
 * registered names is brought to its canonical form, so a stranger's document costs a name lookup.
 */
function registeredForms(registered: ReadonlyMap<string, string>): {
  matches(document: DocumentNode): boolean;
} {
  const canonical = new Set<string>();
  const names = new Set<string>();
  for (const text of registered.values()) {
    const document = parseOrUndefined(text);
    if (!document) continue;
    canonical.add(canonicalForm(document));
    for (const op of operationsOf(document)) if (op.name) names.add(op.name.value);
  }
  return {
    matches(document) {
      const operations = operationsOf(document);
      if (operations.length === 0 || operations.some((op) => !op.name || !names.has(op.name.value)))
        return false;
      return canonical.has(canonicalForm(document));
    },
  };
}

function operationsOf(document: DocumentNode): OperationDefinitionNode[] {
  return document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
}

function parseOrUndefined(text: string): DocumentNode | undefined {
  try {
    return parse(text, { noLocation: true });
  } catch {
    return undefined;
  }
}

/** Schema introspection (GraphiQL's docs, codegen against a live URL) stays open in allow-list mode. */
function isIntrospectionOnly(document: DocumentNode): boolean {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operations.every((op) =>
    op.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__')),
  );
}
