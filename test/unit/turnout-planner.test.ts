import { compileKpiQuery } from '../../src/kpi/planning/kpi-planner';
import type { KpiRequest } from '../../src/kpi/kpi-types';

const base: KpiRequest = {
  kind: 'turnout',
  dataset: 'ge',
  election: { electionId: 'ge-2027', registry: 'ge-reg' },
  range: { from: new Date('2027-05-01T00:00:00Z'), to: new Date('2027-05-02T00:00:00Z') },
  timeZone: 'UTC',
  filters: {},
  kpis: ['votesCast'],
  shape: { type: 'totals' },
};
const context = { database: 'kpi', hiddenUploads: [] };

describe('turnout planner', () => {
  test('sums without the registry: one statement over the rollup window, every value bound', () => {
    const compiled = compileKpiQuery(base, context);
    expect(compiled.source).toBe('hourly');
    expect(compiled.fragment.query).toBe(
      [
        'WITH',
        "  cells AS (SELECT constituencyId, toUInt8(0) AS g_time, sum(transactions) AS c_transactions, sum(votesCastSum) AS c_votesCast FROM kpi.turnout_hourly WHERE dataset = {p0:String} AND electionId = {p1:String} AND hour < {p2:DateTime64(3, 'UTC')} AND hour >= {p3:DateTime64(3, 'UTC')} GROUP BY constituencyId, g_time),",
        '  scoped AS (SELECT * FROM cells),',
        '  per_c AS (SELECT constituencyId, sum(c_transactions) AS pc_transactions, sum(c_votesCast) AS pc_votesCast FROM scoped GROUP BY constituencyId)',
        'SELECT m_transactions, m_votesCast',
        'FROM (',
        '  SELECT sum(pc_transactions) AS m_transactions, sum(pc_votesCast) AS m_votesCast, {p4:Float64} AS m_windowHours FROM per_c',
        ')',
      ].join('\n'),
    );
    expect(compiled.fragment.params).toEqual({
      p0: 'ge',
      p1: 'ge-2027',
      p2: '2027-05-02 00:00:00.000',
      p3: '2027-05-01 00:00:00.000',
      p4: 24,
    });
  });

  test('participation reads the newest visible registry upload of the election and the votes before the window', () => {
    const compiled = compileKpiQuery(
      { ...base, kpis: ['cumulativeParticipationRate'], filters: { region: ['North'] } },
      { ...context, companionHiddenUploads: { 'ge-reg': ['loading-1'] } },
    );
    const { query, params } = compiled.fragment;
    expect(query).toContain(
      'FROM kpi.constituencies_raw WHERE dataset = {p0:String} AND electionId = {p1:String} AND upload_id NOT IN {p2:Array(String)}',
    );
    expect(query).toContain(
      'upload_id = (SELECT argMax(upload_id, uploaded_at) FROM reg_rows) AND r_region IN {p3:Array(String)}',
    );
    expect(query).toContain("toUInt8(hour < {p4:DateTime64(3, 'UTC')}) AS g_time");
    expect(query).not.toContain('hour >=');
    expect(query).toContain(
      'sumIf(c_votesCast, g_time = 0) AS pc_votesCast, sum(c_votesCast) AS votes_to_end',
    );
    expect(query).toContain(
      'SELECT m_transactions, m_votesCast, m_registered, m_votesCumulative, m_registryMissingCount, registry_missing, m_registryMissingToEndCount, registry_missing_to_end, registry_over_count, registry_over\nFROM (',
    );
    // Participation reads the window's constituencies; cumulative participation every one up to the end.
    expect(query).toContain(
      'uniqExactIf(constituencyId, known = 0 AND pc_transactions > 0) AS m_registryMissingCount',
    );
    expect(query).toContain('uniqExactIf(constituencyId, known = 0) AS m_registryMissingToEndCount');
    expect(params).toMatchObject({ p0: 'ge-reg', p2: ['loading-1'], p3: ['North'], p5: 'ge' });
  });

  test('a series carries votes before the window in a sentinel bucket dropped after the running sum', () => {
    const { query } = compileKpiQuery(
      { ...base, kpis: ['cumulativeParticipationRate'], shape: { type: 'series', grain: 'HOUR' } },
      context,
    ).fragment;
    expect(query).toContain(
      "if(hour < {p2:DateTime64(3, 'UTC')}, toDateTime(0, {p3:String}), toStartOfHour(hour, {p4:String})) AS g_time",
    );
    expect(query).toContain(
      'sum(m_votesCast) OVER (ORDER BY g_bucket ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS m_votesCumulative',
    );
    expect(query).toContain('WHERE g_bucket != toDateTime(0, {p10:String})');
    // A bucket's own registry gaps, and the gaps up to its end: constituencies by their first bucket.
    expect(query).toContain(
      'sum(new_missing_count) OVER (ORDER BY g_bucket ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS m_registryMissingToEndCount',
    );
  });

  test('refuses what it cannot answer', () => {
    expect(() => compileKpiQuery({ ...base, election: undefined }, context)).toThrow(/electionId/);
    expect(() => compileKpiQuery({ ...base, filters: { pollingStationId: ['S1'] } }, context)).toThrow(
      /Cannot filter/,
    );
    expect(() =>
      compileKpiQuery({ ...base, kpis: ['participationRate'], shape: { type: 'hourOfDay' } }, context),
    ).toThrow(/hour-of-day/);
    expect(() =>
      compileKpiQuery(
        {
          ...base,
          shape: {
            type: 'breakdown',
            by: 'constituencyId',
            top: 501,
            orderBy: 'votesCast',
            direction: 'DESC',
          },
        },
        context,
      ),
    ).toThrow(/at most 500/);
  });
});
