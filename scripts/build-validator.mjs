// Bundles the operation validator (src/cli/validate-operations.ts + graphql) into one file with no
// dependencies, so a client team's CI can run it without installing the gateway's dependencies.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/validate-operations.ts'],
  outfile: 'dist/kpi-validate-operations.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
