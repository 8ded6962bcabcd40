import type { CodegenConfig } from '@graphql-codegen/cli';
import { Kind, visit, type DocumentNode, type FieldNode } from 'graphql';

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * Adds `__typename` to every selection set but an operation's root, as Apollo Client's cache
 * (`addTypename`) and urql's (`formatDocument`) do before sending. The registered documents then
 * ask exactly what those clients ask, so an answer by hash fills their caches (without it Apollo's
 * cache keeps empty objects). Codegen's own `addTypenameSelectionDocumentTransform` also adds it
 * at the root, which no client does.
 */
const addTypenameLikeClients = {
  transform: ({ documents }: { documents: Array<{ document?: DocumentNode }> }) =>
    documents.map((source) => ({
      ...source,
      document: source.document
        ? visit(source.document, {
            SelectionSet(node, _key, parent) {
              if (parent && 'kind' in parent && parent.kind === Kind.OPERATION_DEFINITION) return undefined;
              if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename'))
                return undefined;
              return { ...node, selections: [...node.selections, TYPENAME] };
            },
          })
        : undefined,
    })),
};

/**
 * Typed client documents for `operations/`, the same way a client team generates them from our
 * `schema.graphql`. The output is committed (reviewable diffs; a unit test fails on drift) and
 * its `persisted-documents.json` is the allow-list the gateway loads (OPERATIONS_ALLOW_LIST).
 * sha256 hashes are what Apollo's automatic persisted queries expect.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['operations/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'operations/generated/': {
      preset: 'client',
      documentTransforms: [addTypenameLikeClients],
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTimeISO: 'string', SafeInt: 'number' },
      },
    },
  },
};

export default config;
