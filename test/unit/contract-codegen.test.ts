import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('typed client documents (operations/generated)', () => {
  test('the committed output is exactly what codegen generates from schema.graphql and operations/ (run `npm run codegen`)', () => {
    // In a child process: @graphql-codegen/cli loads ESM-only modules that jest's CommonJS runtime cannot.
    const run = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/.bin/graphql-codegen'), '--config', 'codegen.ts', '--check'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect({ status: run.status, output: run.status === 0 ? '' : `${run.stdout}${run.stderr}` }).toEqual({
      status: 0,
      output: '',
    });
  });

  test('the persisted-documents manifest registers every operation under the sha256 of its text', () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'operations/generated/persisted-documents.json'), 'utf8'),
    ) as Record<string, string>;
    const names = Object.values(manifest).map(
      (text) => /(?:query|mutation|subscription) (\w+)/.exec(text)?.[1],
    );
    expect(names.sort()).toEqual([
      'DashboardCreateUpload',
      'DashboardRetryUpload',
      'DashboardSalesView',
      'DashboardStartUpload',
      'DashboardTurnoutView',
      'DashboardUploadLedger',
      'DashboardUploadRowErrors',
      'DataChanged',
      'DatasetList',
      'SalesKpiCards',
      'SalesMonthlyChart',
      'SalesTopNTable',
      'TurnoutBreakdownTable',
      'TurnoutHourlyChart',
      'TurnoutKpiCards',
      'UploadLedgerPage',
    ]);
    for (const [key, text] of Object.entries(manifest))
      expect(key).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
  });
});
