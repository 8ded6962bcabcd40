import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { trustedSql } from '../../src/warehouse/sql';
import { firstRow } from '../support/consistency';
import { openTestStack, type TestStack } from '../support/test-stack';

/**
 * Every file under test/fixtures/csv goes through the real pipeline (S3 server → chDB) and must
 * end exactly as test/fixtures/csv/expected.json says: rows loaded, or the rejection with each
 * error's line, column and reason. Raw and rollup tables must not change on a rejection, and must
 * agree with each other after a load.
 */
interface ExpectedError {
  line: number;
  column: string | null;
  reason: string;
}
interface Expected {
  file: string;
  status: 'LOADED' | 'REJECTED';
  errorCode?: string;
  rowsLoaded?: number;
  rowsRejected?: number;
  maxBadRows?: number;
  ignoredColumns?: string[];
  errors?: ExpectedError[];
}

const DIR = path.resolve(__dirname, '../fixtures/csv');
const CORPUS = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Expected[];

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack();
});
afterAll(async () => {
  await stack.close();
});

/** Whole-database totals: a rejected file must leave every one of them as it was. */
async function totals(): Promise<Record<string, string>> {
  const db = stack.warehouse.database;
  const { rows } = await stack.warehouse.query<Record<string, string>>(
    trustedSql(`SELECT
      (SELECT count() FROM ${db}.sales_raw) AS rawRows,
      (SELECT toString(sum(grossRevenue)) FROM ${db}.sales_raw) AS rawGross,
      (SELECT sum(transactions) FROM ${db}.sales_h1) AS rollupRows,
      (SELECT toString(sum(grossRevenueSum)) FROM ${db}.sales_h1) AS rollupGross,
      (SELECT sum(transactions) FROM ${db}.sales_daily) AS dailyRows,
      (SELECT toString(sum(grossRevenueSum)) FROM ${db}.sales_daily) AS dailyGross`),
  );
  return firstRow(rows);
}

test('the corpus has at least 30 files, each with an expected outcome', () => {
  const files = fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.csv'))
    .sort();
  expect(files.length).toBeGreaterThanOrEqual(30);
  expect(CORPUS.map((c) => c.file).sort()).toEqual(files);
});

describe.each(CORPUS)('$file', (expected) => {
  test(`${expected.status}${expected.errorCode ? ` ${expected.errorCode}` : ''}`, async () => {
    const before = await totals();
    const dataset = `corpus-${expected.file.slice(0, 2)}`;
    const upload = await stack.ingest.ingest({
      dataset,
      kind: 'sales',
      maxBadRows: expected.maxBadRows,
      body: Readable.from([fs.readFileSync(path.join(DIR, expected.file))]),
    });
    expect({ status: upload.status, errorCode: upload.errorCode }).toEqual({
      status: expected.status,
      errorCode: expected.errorCode ?? null,
    });
    if (expected.rowsLoaded !== undefined) expect(upload.rowsLoaded).toBe(expected.rowsLoaded);
    if (expected.rowsRejected !== undefined) expect(upload.rowsRejected).toBe(expected.rowsRejected);
    if (expected.ignoredColumns) expect(upload.ignoredColumns).toEqual(expected.ignoredColumns);
    const errors = await stack.ingest.rowErrors.page(upload.id, 100, 0);
    expect(upload.rowErrorCount).toBe(errors.length);
    expect(errors.map((e) => ({ line: e.line, column: e.column }))).toEqual(
      (expected.errors ?? []).map((e) => ({ line: e.line, column: e.column })),
    );
    (expected.errors ?? []).forEach((e, i) => expect(errors[i]?.reason).toContain(e.reason));
    if (upload.status === 'REJECTED') {
      expect(upload.errorMessage).toBeTruthy();
      expect(await totals()).toEqual(before);
    } else {
      const after = await totals();
      expect(Number(after.rawRows) - Number(before.rawRows)).toBe(upload.rowsLoaded);
      expect(after.rollupRows).toBe(after.rawRows);
      expect(after.rollupGross).toBe(after.rawGross);
      expect(after.dailyRows).toBe(after.rawRows);
      expect(after.dailyGross).toBe(after.rawGross);
    }
    expect(stack.catalog.get(dataset)?.hiddenUploads.size ?? 0).toBe(0);
  });
});
