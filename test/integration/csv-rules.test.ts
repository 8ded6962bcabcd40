import { Readable } from 'node:stream';
import fc from 'fast-check';
import {
  DATASET_KINDS,
  type ColumnDef,
  type ColumnType,
  type DatasetKindDef,
} from '../../src/datasets/dataset-kinds';
import { rowOk, rowProblems, type CsvLayout } from '../../src/ingest/csv-rules';
import { mapHeaders } from '../../src/ingest/header-mapping';
import { LOAD_SETTINGS, s3Source } from '../../src/ingest/load-statement';
import { sql } from '../../src/warehouse/sql';
import { openTestStack, type TestStack } from '../support/test-stack';

/**
 * The load guards rows with `rowOk`, a cheaper boolean written apart from `rowProblems`, which
 * validation reports from. They must agree on every record, or the load would accept what
 * validation rejects (or the reverse). Both run here over the same stored file, record by record.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack();
});
afterAll(async () => {
  await stack.close();
});

/** Stand-ins for bytes that are not UTF-8 (0xFF, 0xFE), swapped in once the file is encoded. */
const BYTE_FF = '\uffff';
const BYTE_FE = '\ufffe';

/** Cells near every rule's edge (invalid UTF-8 and NUL included). */
const EDGE_CELLS: readonly string[] = [
  '',
  ' ',
  '0',
  '-0',
  '7',
  '-12',
  '+5',
  ' 5',
  '5 ',
  '007',
  '12.3',
  '12.3456',
  '12.34567',
  '-0.0001',
  '.5',
  '5.',
  '1e3',
  '0x1A',
  'NaN',
  'inf',
  '-',
  '12345678901234',
  '123456789012345',
  '99999999999999.9999',
  '999999999999999999',
  '1000000000000000000',
  '1,234.50',
  '$12',
  '١٢',
  '2024-01-01',
  '2024-01-01T10:00:00Z',
  '2024-01-01 10:00:00',
  '2024-01-01T10:00Z',
  '2024-02-30 10:00:00',
  '2024-13-01',
  '2024-01-01T25:00:00Z',
  '1970-01-01 00:00:00',
  '1969-12-31 23:59:59',
  '2106-02-07 06:28:15',
  '2106-02-07 06:28:16',
  '2024-01-01T10:00:00+05:30',
  '2024-01-01T10:00:00-0800',
  '2024-01-01T10:00:00.123456789Z',
  '2024-01-01T10:00:00.1234567890Z',
  '1',
  '20240101',
  'yesterday',
  'Nairobi',
  'café',
  'a,b',
  'say "hi"',
  'two\nlines',
  '\u0000',
  'x\u0000y',
  BYTE_FF,
  `ok${BYTE_FE}`,
  `12${BYTE_FF}`,
  '<kpi-gateway:absent-field>',
];

/** A CSV field: quoted when the text needs it, the way exports write it. */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8, except that each stand-in becomes its single raw byte. */
function encode(text: string): Buffer {
  const utf8 = Buffer.from(text, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < utf8.length; i += 1) {
    if (utf8[i] === 0xef && utf8[i + 1] === 0xbf && (utf8[i + 2] === 0xbf || utf8[i + 2] === 0xbe)) {
      out.push(utf8[i + 2] === 0xbf ? 0xff : 0xfe);
      i += 2;
    } else out.push(utf8[i] ?? 0);
  }
  return Buffer.from(out);
}

const anyCell = fc.oneof(
  fc.constantFrom(...EDGE_CELLS),
  fc.string({
    unit: fc.constantFrom('0', '1', '9', '-', '.', ':', 'T', 'Z', '+', ' ', 'e', '2', '4', 'é', '\u0000'),
  }),
);

/** Values each type accepts, so that whole records are often valid and both outcomes get compared. */
const VALID: Record<ColumnType, readonly string[]> = {
  time: [
    '2024-01-01T10:00:00Z',
    '2024-01-01 10:00:00',
    '2024-01-01',
    '2024-03-31T23:59:59+02:00',
    '2024-01-01T10:00:00.5Z',
  ],
  money: ['0', '12.34', '-5.5', '1234.5678'],
  quantity: ['0', '3', '-1', '2.5'],
  integer: ['0', '3', '12'],
  string: ['Nairobi', 'café', 'a,b', 'say "hi"', 'two\nlines'],
};

/** Mostly a value the column accepts (or an empty optional cell), sometimes anything at all. */
function cellFor(column: ColumnDef | null): fc.Arbitrary<string> {
  if (!column) return anyCell;
  const valid = column.required ? VALID[column.type] : [...VALID[column.type], ''];
  return fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 9 }, { arbitrary: anyCell, weight: 1 });
}

/** A record: usually as many fields as the header, sometimes fewer, more, or none at all. */
const record = (layout: CsvLayout) => {
  const width = layout.mapping.fileColumns.length;
  return fc
    .tuple(
      fc.tuple(...layout.mapping.fileColumns.map(({ column }) => cellFor(column))),
      fc.constantFrom('full', 'full', 'full', 'short', 'long', 'empty'),
    )
    .map(([cells, shape]) => {
      if (shape === 'empty') return '';
      if (shape === 'short')
        return cells
          .slice(0, Math.max(1, width - 1))
          .map(field)
          .join(',');
      if (shape === 'long') return [...cells, '1'].map(field).join(',');
      return cells.map(field).join(',');
    });
};

function layoutOf(kind: DatasetKindDef, headers: string[]): CsvLayout {
  const mapped = mapHeaders(headers, kind);
  if (!mapped.ok) throw new Error(`bad test header ${headers.join(',')}`);
  return { mapping: mapped.mapping };
}

async function compare(
  layout: CsvLayout,
  headers: readonly string[],
  records: readonly string[],
  key: string,
) {
  // Records end with a real one: a trailing empty line is skipped by the reader, not judged.
  const body = `${headers.join(',')}\n${[...records, headers.map(() => '').join(',')].join('\n')}\n`;
  await stack.store.putStream(key, Readable.from([encode(body)]), 'text/csv');
  const statement = sql`SELECT rowNumberInAllBlocks() + 1 AS record, toUInt8(${rowOk(layout)}) AS ok,
    toUInt8(empty(${rowProblems(layout)})) AS clean FROM ${s3Source(stack.store.clickhouseSource(key), layout)}`;
  const { rows } = await stack.warehouse.query<{ record: string; ok: number; clean: number }>(statement, {
    settings: LOAD_SETTINGS,
  });
  await stack.store.delete(key);
  return rows;
}

const CASES: Array<[string, DatasetKindDef, string[]]> = [
  ['sales, every column', DATASET_KINDS.sales, DATASET_KINDS.sales.columns.map((c) => c.name)],
  ['sales, required columns around an ignored one', DATASET_KINDS.sales, ['grossRevenue', 'notes', '__time']],
  ['turnout (non-negative counts)', DATASET_KINDS.turnout, DATASET_KINDS.turnout.columns.map((c) => c.name)],
];

describe.each(CASES)('%s', (_name, kind, headers) => {
  test('the load guard accepts exactly the records validation finds no problem in', async () => {
    const layout = layoutOf(kind, headers);
    let accepted = 0;
    let refused = 0;
    let batch = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(record(layout), { minLength: 50, maxLength: 200 }), async (records) => {
        const rows = await compare(
          layout,
          headers,
          records,
          `rules/${kind.kind}-${headers.length}-${batch++}.csv`,
        );
        for (const row of rows) {
          expect({ record: row.record, ok: row.ok }).toEqual({ record: row.record, ok: row.clean });
          if (row.ok) accepted += 1;
          else refused += 1;
        }
      }),
      { numRuns: 6, seed: 20261122 },
    );
    // Both outcomes occurred, so agreement above was tested on each side of the rules.
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
