import fs from 'node:fs';
import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { AppError, ErrorCode } from '../errors/app-error';
import { requestScope } from '../graphql/request-scope';

/**
 * Persisted operations. Apollo's automatic persisted queries (APQ) look a query up by the sha256
 * of its text; this store answers first from the registered operations (codegen's
 * `persisted-documents.json`, generated from `operations/`), so dashboards can send only the hash
 * from the very first request, and GET requests by hash are short, cacheable URLs.
 * In allow-list mode nothing else runs and nothing new can be registered.
 * Operations registered at run time (APQ) belong to the access (roles and dataset scopes) of the
 * caller that registered them: a caller with other access cannot run them by hash, nor learn from
 * a hit that someone asked about a dataset it cannot see.
 */
type KeyValueCache = NonNullable<PersistedQueryOptions['cache']>;

/** Stable error code of an operation refused in allow-list mode. */
export const OPERATION_NOT_ALLOWED = 'OPERATION_NOT_ALLOWED';
/** Apollo prefixes every APQ key with this. */
const APQ_PREFIX = 'apq:';
/** Ad-hoc APQ registrations kept in open mode; the oldest go first. */
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
  const dynamic = new Map<string, string>();
  const hashOf = (key: string) => (key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key);
  // A newline never occurs in an access string or a hash, so partitions cannot collide.
  const dynamicKey = (hash: string) => `${requestScope.getStore()?.access ?? ''}\n${hash}`;
  const store: KeyValueCache = {
    async get(key) {
      const hash = hashOf(key);
      const fixed = registered.get(hash);
      if (fixed !== undefined) return fixed;
      const partitioned = dynamicKey(hash);
      const known = dynamic.get(partitioned);
      if (known !== undefined) {
        // Re-insert so the most recently used entries survive eviction.
        dynamic.delete(partitioned);
        dynamic.set(partitioned, known);
      }
      return known;
    },
    async set(key, value) {
      const hash = hashOf(key);
      if (allowListOnly || registered.has(hash)) return;
      dynamic.set(dynamicKey(hash), value);
      if (dynamic.size > MAX_DYNAMIC_OPERATIONS) dynamic.delete(dynamic.keys().next().value as string);
    },
    async delete(key) {
      return dynamic.delete(dynamicKey(hashOf(key)));
    },
  };
  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      if (!allowListOnly) return;
      return {
        async didResolveOperation({ queryHash, document }) {
          if (registered.has(queryHash) || isIntrospectionOnly(document)) return;
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

/** Schema introspection (GraphiQL's docs, codegen against a live URL) stays open in allow-list mode. */
function isIntrospectionOnly(document: DocumentNode): boolean {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operations.every((op) =>
    op.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__')),
  );
}
