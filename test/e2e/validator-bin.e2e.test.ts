import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/gateway-process';

/**
 * The bundled `kpi-validate-operations` (dist/kpi-validate-operations.cjs, built by `npm run build`)
 * as a client team runs it: copied alone into an empty directory, without node_modules.
 */
const BIN = path.join(ROOT, 'dist/kpi-validate-operations.cjs');
let workdir: string;

beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-client-ci-'));
  fs.copyFileSync(BIN, path.join(workdir, 'kpi-validate-operations.cjs'));
  fs.copyFileSync(path.join(ROOT, 'schema.graphql'), path.join(workdir, 'schema.graphql'));
  fs.cpSync(path.join(ROOT, 'operations'), path.join(workdir, 'operations'), { recursive: true });
});

function run(...args: string[]) {
  return spawnSync(process.execPath, ['kpi-validate-operations.cjs', ...args], {
    cwd: workdir,
    encoding: 'utf8',
  });
}

describe('kpi-validate-operations, standalone', () => {
  test('package.json points the bin at the bundle', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    const bin = pkg.bin['kpi-validate-operations'];
    expect(bin).toEqual(expect.any(String));
    expect(path.resolve(ROOT, bin ?? '')).toBe(BIN);
  });

  test('valid documents: exit 0 (defaults: ./schema.graphql and ./operations)', () => {
    const result = run();
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/document file\(s\) valid against schema\.graphql/);
  });

  test('an invalid document: exit 1 with file, line and message', () => {
    fs.copyFileSync(
      path.join(ROOT, 'test/fixtures/operations/invalid/unknown-kpi.graphql'),
      path.join(workdir, 'operations/unknown-kpi.graphql'),
    );
    try {
      const result = run('--schema', 'schema.graphql', 'operations');
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        'operations/unknown-kpi.graphql:5:7  Cannot query field "profitability" on type "SalesKpis".',
      );
    } finally {
      fs.rmSync(path.join(workdir, 'operations/unknown-kpi.graphql'));
    }
  });
});
