import { evaluateKpi } from '../../src/kpi/kpi-evaluator';
import { compileKpiQuery } from '../../src/kpi/kpi-planner';
import { registryFor } from '../../src/kpi/kpi-registry';

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
const kpi = (id: string) => registryFor('sales').kpis.get(id)!;
const allColumns = { columns: new Set(['time', 'grossRevenue', 'returnsValue', 'totalCost']) };

describe('KPI evaluation: a number only when the slice supports it', () => {
  test('a fully covered slice gives the value (decimal strings become numbers exactly)', () => {
    const row = { m_transactions: '4', m_returnsValueRows: '4', m_grossRevenue: '16111700.4800', k_netSales: '16111690.2300' };
    expect(evaluateKpi(kpi('netSales'), row, compiled, allColumns)).toEqual({ value: 16111690.23, unavailable: null });
  });

  test('no rows → NO_DATA, whatever else the row says', () => {
    expect(evaluateKpi(kpi('totalRevenue'), { m_transactions: '0', k_totalRevenue: '0' }, compiled, allColumns).unavailable?.reason).toBe('NO_DATA');
  });

  test('a column no upload had → MISSING_COLUMN naming it', () => {
    const result = evaluateKpi(kpi('grossMargin'), { m_transactions: '3', m_totalCostRows: '0', m_grossRevenue: '10', k_grossMargin: null }, compiled, { columns: new Set(['grossRevenue']) });
    expect(result).toEqual({ value: null, unavailable: { reason: 'MISSING_COLUMN', missingColumns: ['totalCost'], missingKeys: [], coverage: 0, message: expect.stringContaining('totalCost') } });
  });

  test('some rows without the column → PARTIAL_COVERAGE with the covered fraction, never a partial sum', () => {
    const result = evaluateKpi(kpi('netSales'), { m_transactions: '4', m_returnsValueRows: '3', k_netSales: '99.0000' }, compiled, allColumns);
    expect(result).toEqual({ value: null, unavailable: { reason: 'PARTIAL_COVERAGE', missingColumns: ['returnsValue'], missingKeys: [], coverage: 0.75, message: expect.stringContaining('75.00%') } });
  });

  test('a ratio over a zero denominator → ZERO_DENOMINATOR', () => {
    const result = evaluateKpi(kpi('grossMargin'), { m_transactions: '2', m_totalCostRows: '2', m_grossRevenue: '0.0000', k_grossMargin: null }, compiled, allColumns);
    expect(result.unavailable?.reason).toBe('ZERO_DENOMINATOR');
  });

  test('a null value without a reason is a bug, not a silent null', () => {
    expect(() => evaluateKpi(kpi('totalRevenue'), { m_transactions: '2', k_totalRevenue: null }, compiled, allColumns)).toThrow(/null without a reason/);
  });
});
