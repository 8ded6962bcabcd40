// Lint keeps the shape of the codebase so reviews need not: layer boundaries, no import cycles,
// small files and functions. Formatting is Prettier's job (`npm run format:check`).
import fs from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/**
 * Imports point one way. Each entry names a folder under src/ and the folders it must not import
 * from (its own callers). Type-only imports count as well: a type that lives too high drags its
 * layer's concerns down with it. Bottom to top: types; errors; config; telemetry; storage, warehouse;
 * datasets; ingest; cache; kpi; auth; graphql; contract (schema tooling); server, cli.
 * Every folder under src/ must have an entry (checked below), so a new folder takes a place.
 */
const layers = {
  // Ambient declarations for untyped packages: they import nothing of ours.
  types: [
    'errors',
    'config',
    'telemetry',
    'storage',
    'warehouse',
    'datasets',
    'ingest',
    'cache',
    'kpi',
    'auth',
    'graphql',
    'contract',
    'server',
    'cli',
  ],
  errors: [
    'config',
    'telemetry',
    'storage',
    'warehouse',
    'datasets',
    'ingest',
    'cache',
    'kpi',
    'auth',
    'graphql',
    'contract',
    'server',
    'cli',
  ],
  config: [
    'telemetry',
    'storage',
    'warehouse',
    'datasets',
    'ingest',
    'cache',
    'kpi',
    'auth',
    'graphql',
    'contract',
    'server',
    'cli',
  ],
  // Spans (OpenTelemetry) and the SDK's start: above config, below everything that makes spans.
  telemetry: [
    'storage',
    'warehouse',
    'datasets',
    'ingest',
    'cache',
    'kpi',
    'auth',
    'graphql',
    'contract',
    'server',
    'cli',
  ],
  storage: [
    'warehouse',
    'datasets',
    'ingest',
    'cache',
    'kpi',
    'auth',
    'graphql',
    'contract',
    'server',
    'cli',
  ],
  warehouse: [
    'storage',
    'datasets',
    'ingest',
    'cache',
    'kpi',
    'auth',
    'graphql',
    'contract',
    'server',
    'cli',
  ],
  datasets: ['ingest', 'cache', 'kpi', 'auth', 'graphql', 'contract', 'server', 'cli'],
  ingest: ['cache', 'kpi', 'auth', 'graphql', 'contract', 'server', 'cli'],
  cache: ['storage', 'warehouse', 'ingest', 'kpi', 'auth', 'graphql', 'contract', 'server', 'cli'],
  kpi: ['storage', 'ingest', 'auth', 'graphql', 'contract', 'server', 'cli'],
  auth: ['storage', 'warehouse', 'ingest', 'kpi', 'graphql', 'contract', 'server', 'cli'],
  graphql: ['warehouse', 'storage', 'contract', 'server', 'cli'],
  // Schema and operation compatibility checks: beside the gateway, used by the command line.
  contract: [
    'storage',
    'warehouse',
    'datasets',
    'ingest',
    'cache',
    'kpi',
    'auth',
    'graphql',
    'server',
    'cli',
  ],
  // The HTTP gateway wires every layer; src/index.ts starts it.
  server: ['contract', 'cli'],
  // The command line talks to a running gateway over HTTP or runs one tool; it never starts the server.
  cli: ['server'],
};

const srcFolders = fs
  .readdirSync(new URL('./src', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const unplaced = srcFolders.filter((folder) => !(folder in layers));
if (unplaced.length > 0) {
  throw new Error(
    `eslint.config.mjs: give ${unplaced.map((f) => `src/${f}`).join(', ')} a place in the layer table`,
  );
}

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
