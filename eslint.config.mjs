// Lint keeps the shape of the codebase so reviews need not: layer boundaries, no import cycles,
// small files and functions. Formatting is Prettier's job (`npm run format:check`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/**
 * Imports point one way. Each entry names a folder under src/ and the folders it must not import
 * from (its own callers). Type-only imports count as well: a type that lives too high drags its
 * layer's concerns down with it.
 */
const layers = {
  errors: [
    'config',
    'storage',
    'warehouse',
    'datasets',
    'ingest',
    'cache',
    'kpi',
    'graphql',
    'server',
    'cli',
    'auth',
  ],
  config: ['storage', 'warehouse', 'datasets', 'ingest', 'cache', 'kpi', 'graphql', 'server', 'cli', 'auth'],
  storage: ['warehouse', 'datasets', 'ingest', 'cache', 'kpi', 'graphql', 'server', 'cli', 'auth'],
  warehouse: ['storage', 'datasets', 'ingest', 'cache', 'kpi', 'graphql', 'server', 'cli', 'auth'],
  datasets: ['ingest', 'cache', 'kpi', 'graphql', 'server', 'cli'],
  ingest: ['cache', 'kpi', 'graphql', 'server', 'cli'],
  cache: ['storage', 'warehouse', 'ingest', 'kpi', 'graphql', 'server', 'cli'],
  kpi: ['storage', 'ingest', 'graphql', 'server', 'cli'],
  auth: ['storage', 'warehouse', 'ingest', 'kpi', 'graphql', 'server', 'cli'],
  graphql: ['warehouse', 'storage', 'server', 'cli'],
  contract: ['storage', 'warehouse', 'datasets', 'ingest', 'cache', 'kpi', 'graphql', 'server', 'cli'],
};

const zones = Object.entries(layers).map(([target, forbidden]) => ({
  target: `./src/${target}`,
  from: forbidden.map((name) => `./src/${name}`),
  message: `src/${target} sits below these folders; move the shared piece down instead.`,
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      'coverage/**',
      'bench/.work/**',
      'operations/generated/**',
      'playground/**',
      'scripts/**',
      '*.js',
      '*.mjs',
      '*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      // Decorator metadata reads parameter types at run time: imports they name are values.
      parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones }],
      'max-lines': ['warn', { max: 300, skipBlankLines: false, skipComments: false }],
      'max-params': ['warn', 4],
    },
  },
  {
    // Tests and benchmarks read like scripts: long files of cases are fine there.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'max-lines': 'off',
      'max-params': 'off',
      // Tests read JSON answers field by field; typing every response shape would add nothing.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
