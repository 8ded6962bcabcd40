import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { mapHeaders } from '../../src/ingest/header-mapping';
import { rowOk, rowProblems } from '../../src/ingest/csv-rules';
import {
  buildLoadStatement,
  LOAD_SETTINGS,
  loadSettings,
  SMALL_LOAD_MAX_BYTES,
  STRICT_GUARD_MESSAGE,
} from '../../src/ingest/load-statement';
import { buildValidationStatement } from '../../src/ingest/validation-statement';
import { sql } from '../../src/warehouse/sql';

const mapped = mapHeaders(['__time', 'notes', 'grossRevenue', 'CardName'], DATASET_KINDS.sales);
if (!mapped.ok) throw new Error('mapping');
const layout = { mapping: mapped.mapping };
const source = { url: "http://s3/b/k'); DROP TABLE x; --.csv", accessKeyId: 'AK', secretAccessKey: 'SK' };

const unnumbered = (text: string) => text.replace(/\{p\d+:/g, '{p:');

describe('load and validation statements', () => {
  test('the load binds every value, reads one extra field, and guards rows with the shared rule', () => {
    const strict = buildLoadStatement({
      database: 'kpi',
      kind: DATASET_KINDS.sales,
      layout,
      dataset: 'd',
      uploadId: 'u',
      source,
      strict: true,
    }).compile();
    expect(strict.query).toContain(
      'INSERT INTO kpi.sales_raw (dataset, upload_id, time, grossRevenue, customer)',
    );
    expect(strict.query).not.toContain('DROP TABLE');
    expect(Object.values(strict.params)).toEqual(
      expect.arrayContaining([
        'd',
        'u',
        source.url,
        'AK',
        'SK',
        'c0 Nullable(String), c1 Nullable(String), c2 Nullable(String), c3 Nullable(String), c4 Nullable(String)',
      ]),
    );
    // The guard is the shared rule (its values renumbered where it stands), message bound.
    const guard = sql`WHERE throwIf(NOT (${rowOk(layout)}), ${STRICT_GUARD_MESSAGE}) = 0`.compile();
    expect(unnumbered(strict.query).endsWith(unnumbered(guard.query))).toBe(true);
    expect(Object.values(strict.params)).toContain(STRICT_GUARD_MESSAGE);
    const tolerant = buildLoadStatement({
      database: 'kpi',
      kind: DATASET_KINDS.sales,
      layout,
      dataset: 'd',
      uploadId: 'u',
      source,
      strict: false,
    }).compile();
    const rule = unnumbered(rowOk(layout).compile().query);
    expect(unnumbered(tolerant.query).endsWith(`WHERE ${rule}`)).toBe(true);
  });

  test('validation uses the same rules and never counts rows with count()', () => {
    const validation = buildValidationStatement({
      database: 'kpi',
      layout,
      uploadId: 'u',
      source,
      firstLine: 2,
    }).compile();
    expect(unnumbered(validation.query)).toContain(unnumbered(rowProblems(layout).compile().query));
    expect(validation.query).toContain('rowNumberInAllBlocks()');
    expect(validation.query).not.toMatch(/count\(\)/);
    // Names of the mapped columns only: an ignored one is never judged.
    expect(Object.values(validation.params)).toContainEqual(['__time', '', 'grossRevenue', 'CardName']);
  });

  test('ignored columns are never checked or loaded', () => {
    expect(rowOk(layout).compile().query).not.toMatch(/ifNull\(c1,/);
  });

  test('no value is spliced into the text: reasons and patterns are bound parameters too', () => {
    const { query, params } = rowProblems(layout).compile();
    expect(query).not.toContain('is required but empty');
    expect(query).not.toContain('[0-9]');
    expect(Object.values(params)).toEqual(
      expect.arrayContaining(['is required but empty', String.raw`^-?[0-9]{1,14}(\.[0-9]{1,4})?$`]),
    );
  });

  test('a small file loads without merging rollup rows on insert; a larger one merges them; both say so explicitly', () => {
    expect(loadSettings(910_809)).toEqual({ ...LOAD_SETTINGS, optimize_on_insert: 0 });
    expect(loadSettings(SMALL_LOAD_MAX_BYTES)).toMatchObject({ optimize_on_insert: 0 });
    // chDB keeps a statement's settings on its session: a large load must turn the merge back on.
    expect(loadSettings(SMALL_LOAD_MAX_BYTES + 1)).toEqual({ ...LOAD_SETTINGS, optimize_on_insert: 1 });
  });
});
