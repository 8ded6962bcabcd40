import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { mapHeaders, parseHeaderRecord } from '../../src/ingest/header-mapping';

const sales = DATASET_KINDS.sales;

describe('header mapping', () => {
  test('seed export headers map case- and punctuation-insensitively; unknown ones are reported', () => {
    const result = mapHeaders(
      ['__time', 'ProductLine', 'AcctName', 'CardName', 'ItemName', 'GROSSREVENUE', 'Sales Person', 'notes'],
      sales,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.mapping.mapped).toEqual([
      'time',
      'productLine',
      'account',
      'customer',
      'item',
      'grossRevenue',
      'salesPerson',
    ]);
    expect(result.mapping.ignored).toEqual(['notes']);
    expect(result.mapping.fileColumns.map((c) => c.column?.name ?? null)).toEqual([
      'time',
      'productLine',
      'account',
      'customer',
      'item',
      'grossRevenue',
      'salesPerson',
      null,
    ]);
  });

  test('a missing required column is named', () => {
    expect(mapHeaders(['time', 'branch'], sales)).toEqual({
      ok: false,
      problems: [{ kind: 'MISSING_REQUIRED', columns: ['grossRevenue'] }],
    });
  });

  test('two headers for one column are refused', () => {
    expect(mapHeaders(['time', '__time', 'grossRevenue'], sales)).toEqual({
      ok: false,
      problems: [{ kind: 'DUPLICATE', column: 'time', headers: ['time', '__time'] }],
    });
  });

  test('an unknown header given twice is refused as ambiguous', () => {
    expect(mapHeaders(['time', 'grossRevenue', 'Notes', 'notes'], sales)).toEqual({
      ok: false,
      problems: [{ kind: 'DUPLICATE', column: null, headers: ['Notes', 'notes'] }],
    });
  });

  test('an empty header row is refused', () => {
    expect(mapHeaders([''], sales)).toEqual({ ok: false, problems: [{ kind: 'EMPTY_HEADER' }] });
  });
});

describe('header record parsing', () => {
  test('quoted fields, doubled quotes, BOM and CRLF', () => {
    expect(parseHeaderRecord('\uFEFF"a,b","say ""hi""",c\r\n1,2,3')).toEqual(['a,b', 'say "hi"', 'c']);
  });

  test('waits for the end of the record unless the input is final', () => {
    expect(parseHeaderRecord('time,gross')).toBeNull();
    expect(parseHeaderRecord('time,gross', true)).toEqual(['time', 'gross']);
    expect(parseHeaderRecord('"time\n')).toBeNull();
  });
});
