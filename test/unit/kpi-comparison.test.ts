import { compareValue, priorRange, withShares } from '../../src/kpi/evaluation/kpi-comparison';
import { kpiKind } from '../../src/kpi/definitions/kpi-kinds';
import type { KpiRow, KpiValue } from '../../src/kpi/kpi-types';

const v = (value: number | null, reason?: 'NO_DATA' | 'PARTIAL_COVERAGE'): KpiValue =>
  value === null
    ? {
        value: null,
        unavailable: {
          reason: reason ?? 'NO_DATA',
          missingColumns: [],
          missingKeys: [],
          coverage: null,
          message: '',
        },
      }
    : { value, unavailable: null };

describe('period over period', () => {
  test('the previous period has the same length and ends where the range starts', () => {
    expect(
      priorRange(
        { from: new Date('2025-03-01T00:00:00Z'), to: new Date('2025-03-08T12:00:00Z') },
        'PREVIOUS_PERIOD',
      ),
    ).toEqual({
      from: new Date('2025-02-21T12:00:00Z'),
      to: new Date('2025-03-01T00:00:00Z'),
    });
  });

  test('the previous year is the same calendar window a year earlier', () => {
    expect(
      priorRange(
        { from: new Date('2025-03-01T00:00:00Z'), to: new Date('2025-04-01T00:00:00Z') },
        'PREVIOUS_YEAR',
      ),
    ).toEqual({
      from: new Date('2024-03-01T00:00:00Z'),
      to: new Date('2024-04-01T00:00:00Z'),
    });
  });

  test('change and percent change against a previous value', () => {
    expect(compareValue(v(150), v(120))).toEqual({
      previous: 120,
      change: 30,
      changePercent: 25,
      unavailable: null,
    });
    expect(compareValue(v(-30), v(-20))).toEqual({
      previous: -20,
      change: -10,
      changePercent: -50,
      unavailable: null,
    });
  });

  test('no rows before → NO_PRIOR_PERIOD; a previous reason is passed on; previous 0 → no percent', () => {
    expect(compareValue(v(5), v(null, 'NO_DATA'))?.unavailable?.reason).toBe('NO_PRIOR_PERIOD');
    expect(compareValue(v(5), v(null, 'PARTIAL_COVERAGE'))?.unavailable?.reason).toBe('PARTIAL_COVERAGE');
    expect(compareValue(v(5), v(0))).toMatchObject({
      previous: 0,
      change: 5,
      changePercent: null,
      unavailable: { reason: 'ZERO_DENOMINATOR' },
    });
    expect(compareValue(v(null), v(3))).toEqual({
      previous: 3,
      change: null,
      changePercent: null,
      unavailable: null,
    });
  });
});

describe('share of total', () => {
  const kpis = kpiKind('sales').kpis;
  const row = (key: string, values: Record<string, KpiValue>): KpiRow => ({ key, kpis: values });

  test('additive KPIs get group / slice total; ratios and nulls get null', () => {
    const total = row('', {
      netSales: v(200),
      grossMargin: v(0.5),
      uniqueCustomers: v(10),
      totalCost: v(null, 'PARTIAL_COVERAGE'),
    });
    const [a] = withShares(
      [row('A', { netSales: v(50), grossMargin: v(0.4), uniqueCustomers: v(4), totalCost: v(7) })],
      total,
      kpis,
    );
    expect(a?.kpis.netSales?.share).toBe(0.25);
    expect(a?.kpis.uniqueCustomers?.share).toBe(0.4);
    expect(a?.kpis.grossMargin?.share).toBeNull();
    expect(a?.kpis.totalCost?.share).toBeNull();
  });
});
