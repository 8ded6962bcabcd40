import { evaluateKpi } from '../../src/kpi/evaluation/kpi-evaluator';
import { compileKpiQuery } from '../../src/kpi/planning/kpi-planner';
import { kpiKind } from '../../src/kpi/definitions/kpi-kinds';

const compiled = compileKpiQuery(
  {
    kind: 'sales',
    dataset: 'acme',
    range: { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') },
    timeZone: 'UTC',
    filters: {},
    kpis: ['netSales', 'grossMargin', 'totalRevenue'],
    shape: { type: 'totals' },
  },
  { database: 'kpi', hiddenUploads: [] },
);
const kpi = (id: string) => kpiKind('sales').kpis.get(id)!;
const allColumns = { columns: new Set(['time', 'grossRevenue', 'returnsValue', 'totalCost']) };

describe('KPI evaluation: a number only when the slice supports it', () => {
  test('a fully covered slice gives the value (decimal strings become numbers exactly)', () => {
    const row = {
      m_transactions: '4',
      m_returnsValueRows: '4',
      m_grossRevenue: '16111700.4800',
      m_returnsValue: '-10.25',
    };
    expect(evaluateKpi(kpi('netSales'), row, compiled, allColumns)).toEqual({
      value: 16111690.23,
      unavailable: null,
    });
    // 0.1 + 0.2 in decimals is exactly 0.3 (as doubles it would be 0.30000000000000004).
    const cents = {
      m_transactions: '2',
      m_returnsValueRows: '2',
      m_grossRevenue: '0.1',
      m_returnsValue: '0.2000',
    };
    expect(evaluateKpi(kpi('netSales'), cents, compiled, allColumns).value).toBe(0.3);
    const ratio = {
      m_transactions: '2',
      m_totalCostRows: '2',
      m_grossRevenue: '200.0000',
      m_totalCost: '150.5',
    };
    expect(evaluateKpi(kpi('grossMargin'), ratio, compiled, allColumns).value).toBe(49.5 / 200);
  });

  test('no rows → NO_DATA, whatever else the row says', () => {
    expect(
      evaluateKpi(kpi('totalRevenue'), { m_transactions: '0', m_grossRevenue: '0' }, compiled, allColumns)
        .unavailable?.reason,
    ).toBe('NO_DATA');
  });

  test('a column no upload had → MISSING_COLUMN naming it', () => {
    const result = evaluateKpi(
      kpi('grossMargin'),
      { m_transactions: '3', m_totalCostRows: '0', m_grossRevenue: '10', m_totalCost: '0' },
      compiled,
      { columns: new Set(['grossRevenue']) },
    );
    expect(result).toEqual({
      value: null,
      unavailable: {
        reason: 'MISSING_COLUMN',
        missingColumns: ['totalCost'],
        missingKeys: [],
        coverage: 0,
        message: expect.stringContaining('totalCost'),
      },
    });
  });

  test('some rows without the column → PARTIAL_COVERAGE with the covered fraction, never a partial sum', () => {
    const result = evaluateKpi(
      kpi('netSales'),
      { m_transactions: '4', m_returnsValueRows: '3', m_grossRevenue: '100', m_returnsValue: '-1' },
      compiled,
      allColumns,
    );
    expect(result).toEqual({
      value: null,
      unavailable: {
        reason: 'PARTIAL_COVERAGE',
        missingColumns: ['returnsValue'],
        missingKeys: [],
        coverage: 0.75,
        message: expect.stringContaining('75.00%'),
      },
    });
  });

  test('a ratio over a zero denominator → ZERO_DENOMINATOR', () => {
    const result = evaluateKpi(
      kpi('grossMargin'),
      { m_transactions: '2', m_totalCostRows: '2', m_grossRevenue: '0.0000', m_totalCost: '1' },
      compiled,
      allColumns,
    );
    expect(result.unavailable?.reason).toBe('ZERO_DENOMINATOR');
  });

  test('a null value without a reason is a bug, not a silent null', () => {
    expect(() =>
      evaluateKpi(kpi('totalRevenue'), { m_transactions: '2', m_grossRevenue: null }, compiled, allColumns),
    ).toThrow(/null without a reason/);
  });
});
