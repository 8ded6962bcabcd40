import type { CodegenConfig } from '@graphql-codegen/cli';

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
