import { compileKpiQuery } from '../../src/kpi/planning/kpi-planner';
import { chooseSource } from '../../src/kpi/planning/query-source';
import { kpiKind } from '../../src/kpi/definitions/kpi-kinds';
import type { KpiRequest } from '../../src/kpi/kpi-types';

const base: KpiRequest = {
  kind: 'sales',
  dataset: 'acme',
  range: { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') },
  timeZone: 'UTC',
  filters: {},
  kpis: ['netSales'],
  shape: { type: 'totals' },
};
const context = { database: 'kpi', hiddenUploads: [] };

/** Which sales rollup level answers which question, and ranges stitched from several (docs/rollups.md). */
describe('sales rollup levels', () => {
  test('distinct customers, items, accounts, branches and sales people merge exact states of the dimensionless levels', () => {
    const sales = kpiKind('sales');
    expect(
      chooseSource({ ...base, kpis: ['uniqueProducts'] }, sales, [
        'itemDistinct',
        'itemRows',
        'transactions',
      ]),
    ).toBe('d1');
    const customers = compileKpiQuery({ ...base, kpis: ['uniqueCustomers'] }, context);
    expect(customers.source).toBe('d1');
    expect(customers.fragment.query).toContain('uniqExactMerge(customerU) AS m_customerDistinct');
    // A non-UTC day series would merge 24 hourly states per day: raw reads as fast, so raw.
    expect(
      compileKpiQuery(
        {
          ...base,
          kpis: ['uniqueCustomers'],
          timeZone: 'Europe/Berlin',
          shape: { type: 'series', grain: 'DAY' },
        },
        context,
      ).source,
    ).toBe('raw');
    // Breakdown with a distinct customer count: no per-dimension states, so raw.
    expect(
      compileKpiQuery(
        {
          ...base,
          kpis: ['uniqueCustomers'],
          shape: { type: 'breakdown', by: 'branch', top: 5, orderBy: 'netSales', direction: 'DESC' },
        },
        context,
      ).source,
    ).toBe('raw');
    // Branches and sales people too since migration 0009, so a card with all four distinct counts
    // reads d1 alone.
    expect(compileKpiQuery({ ...base, kpis: ['uniqueBranches'] }, context).source).toBe('d1');
    const four = compileKpiQuery(
      { ...base, kpis: ['uniqueBranches', 'uniqueCustomers', 'uniqueProducts', 'uniqueSalespeople'] },
      context,
    );
    expect(four.source).toBe('d1');
    expect(four.fragment.query).toContain('uniqExactMerge(salesPersonU) AS m_salesPersonDistinct');
    expect(
      compileKpiQuery(
        {
          ...base,
          kpis: ['uniqueSalespeople'],
          range: { from: new Date('2025-01-01T05:00:00Z'), to: base.range.to },
        },
        context,
      ).source,
    ).toBe('h1');
  });

  test("a filter or breakdown on one dimension reads that dimension's level; two dimensions the all-dimension daily one (whole days) or raw", () => {
    const breakdown = compileKpiQuery(
      {
        ...base,
        shape: { type: 'breakdown', by: 'itemGroup', top: 5, orderBy: 'netSales', direction: 'DESC' },
      },
      context,
    );
    expect(breakdown.source).toBe('itemGroup_h');
    expect(compileKpiQuery({ ...base, filters: { branch: ['B1'] } }, context).source).toBe('branch_h');
    expect(
      compileKpiQuery({ ...base, kpis: ['uniqueBranches'], filters: { branch: ['B1'] } }, context).fragment
        .query,
    ).toContain('uniqExact(branch) AS m_branchDistinct');
    expect(
      compileKpiQuery({ ...base, filters: { branch: ['B1'], productLine: ['P1'] } }, context).source,
    ).toBe('daily');
    const hours = { from: new Date('2025-01-01T05:00:00Z'), to: base.range.to };
    expect(
      compileKpiQuery({ ...base, range: hours, filters: { branch: ['B1'], salesPerson: ['S1'] } }, context)
        .sources,
    ).toEqual(['daily', 'raw']);
  });

  test('"up to now": whole days from d1, edge hours from h1, sub-hour edges from raw, in one statement', () => {
    const range = { from: new Date('2025-01-01T05:07:30Z'), to: new Date('2025-01-20T13:37:21Z') };
    const compiled = compileKpiQuery({ ...base, range, kpis: ['netSales', 'uniqueCustomers'] }, context);
    expect(compiled.sources).toEqual(['d1', 'h1', 'raw']);
    const q = compiled.fragment.query;
    expect(q).toMatch(
      /^SELECT uniqExactMerge\(p_customerDistinct\) AS m_customerDistinct, sum\(p_customerRows\) AS m_customerRows, /,
    );
    expect(q).toContain('uniqExactMergeState(customerU) AS p_customerDistinct');
    expect(q).toContain('uniqExactState(customer) AS p_customerDistinct');
    expect(q.match(/UNION ALL/g)).toHaveLength(2);
    expect(compiled.fragment.params).toMatchObject({
      p1: '2025-01-02 00:00:00',
      p2: '2025-01-20 00:00:00',
      p4: '2025-01-01 06:00:00',
      p5: '2025-01-02 00:00:00',
      p6: '2025-01-20 00:00:00',
      p7: '2025-01-20 13:00:00',
      p9: '2025-01-01 05:07:30.000',
      p10: '2025-01-01 06:00:00.000',
      p11: '2025-01-20 13:00:00.000',
      p12: '2025-01-20 13:37:21.000',
    });
    // A breakdown by one dimension stitches that dimension's hourly level with raw.
    const byBranch = compileKpiQuery(
      {
        ...base,
        range,
        shape: { type: 'breakdown', by: 'branch', top: 3, orderBy: 'netSales', direction: 'DESC' },
      },
      context,
    );
    expect(byBranch.sources).toEqual(['branch_h', 'raw']);
    expect(byBranch.fragment.query).toMatch(/\)\nGROUP BY g_key\nORDER BY /);
    // A series stitches the same way, each piece bucketing its own time column in the zone; a
    // Kolkata day series only where 15-minute buckets carry it; a forced source never.
    const series = compileKpiQuery({ ...base, range, shape: { type: 'series', grain: 'DAY' } }, context);
    expect(series.sources).toEqual(['d1', 'h1', 'raw']);
    expect(series.fragment.query).toContain('toStartOfDay(bucket, {p0:String}) AS g_bucket');
    expect(series.fragment.query).toMatch(/\)\nGROUP BY g_bucket\nORDER BY g_bucket$/);
    expect(
      compileKpiQuery(
        { ...base, range, timeZone: 'Asia/Kolkata', shape: { type: 'series', grain: 'DAY' } },
        context,
      ).sources,
    ).toEqual(['q15', 'raw']);
    expect(compileKpiQuery({ ...base, range }, { ...context, source: 'raw' }).sources).toBeUndefined();
  });
});
