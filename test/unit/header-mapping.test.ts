import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { describeHeaderProblem, mapHeaders, parseHeaderRecord } from '../../src/ingest/header-mapping';

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
      problems: [{ kind: 'MISSING_REQUIRED', columns: ['grossRevenue'], unmatched: [] }],
    });
  });

  test("a rejection names the file's unmatched headers and the closest known name of each", () => {
    const result = mapHeaders(['time', 'gros_revenu', 'notes'], sales);
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          kind: 'MISSING_REQUIRED',
          columns: ['grossRevenue'],
          unmatched: [
            { header: 'gros_revenu', closest: 'grossRevenue' },
            { header: 'notes', closest: null },
          ],
        },
      ],
    });
    if (result.ok) return;
    const [problem] = result.problems;
    expect(problem && describeHeaderProblem(problem)).toBe(
      'missing required column(s): grossRevenue; headers of the file that match no column: "gros_revenu" (closest known name: grossRevenue), "notes"',
    );
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

describe('election file headers', () => {
  const mapped = (headers: string[], kind: 'turnout' | 'constituencies') => {
    const result = mapHeaders(headers, DATASET_KINDS[kind]);
    if (!result.ok) throw new Error(result.problems.map(describeHeaderProblem).join('; '));
    return result.mapping.fileColumns.map((c) => c.column?.name ?? null);
  };

  test('turnout exports with codes, ballots and counted votes load', () => {
    expect(
      mapped(
        [
          'timestamp',
          'election_id',
          'constituency_code',
          'polling_station_code',
          'bulletins',
          'ballots_cast',
        ],
        'turnout',
      ),
    ).toEqual(['time', 'electionId', 'constituencyId', 'pollingStationId', 'bulletinsIssued', 'votesCast']);
    expect(
      mapped(['time', 'election', 'constituency', 'ballots_issued', 'votes_counted'], 'turnout'),
    ).toEqual(['time', 'electionId', 'constituencyId', 'bulletinsIssued', 'votesCast']);
  });

  test('registries with a voter count and a county load, the county as the region', () => {
    expect(
      mapped(
        ['election_id', 'constituency_code', 'name', 'county', 'registered_voter_count'],
        'constituencies',
      ),
    ).toEqual(['electionId', 'constituencyId', 'name', 'region', 'registeredVoters']);
  });

  test('a turnout file lacking votes names what it has instead', () => {
    const result = mapHeaders(
      ['time', 'election_id', 'constituency_code', 'bulletins', 'vote_cast'],
      DATASET_KINDS.turnout,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(describeHeaderProblem).join('; ')).toBe(
      'missing required column(s): votesCast; headers of the file that match no column: "vote_cast" (closest known name: votesCast)',
    );
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
