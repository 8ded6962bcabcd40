import { DATASET_KINDS, type RollupLevel } from '../../datasets/dataset-kinds';
import type { KpiDef, MeasureDef } from '../kpi-types';

/** Breakdown dimensions kept in the rollup key (so breakdowns and filters on them stay on the rollup). */
export const SALES_DIMENSIONS = ['branch', 'productLine', 'itemGroup', 'salesPerson'] as const;
export type SalesDimension = (typeof SALES_DIMENSIONS)[number];

const columns = DATASET_KINDS.sales.columns;
const optionalNumeric = columns
  .filter((c) => !c.required && c.type !== 'string' && c.type !== 'time')
  .map((c) => c.name);
const rawOnlyStrings = columns
  .filter((c) => c.type === 'string' && !(SALES_DIMENSIONS as readonly string[]).includes(c.name))
  .map((c) => c.name);

/**
 * Every aggregate the sales KPIs are made of, once per table. `<col>Rows` counts the rows that
 * carry a column (coverage); `<col>Distinct` is an exact distinct count.
 */
const MEASURES: readonly MeasureDef[] = [
  { id: 'transactions', rollup: 'sum(transactions)', raw: 'count()' },
  { id: 'grossRevenue', rollup: 'sum(grossRevenueSum)', raw: 'sum(grossRevenue)' },
  ...optionalNumeric.flatMap((c) => [
    { id: c, rollup: `sum(${c}Sum)`, raw: `sum(ifNull(${c}, 0))` },
    { id: `${c}Rows`, rollup: `sum(${c}Rows)`, raw: `count(${c})` },
  ]),
  ...SALES_DIMENSIONS.flatMap((c) => [
    {
      id: `${c}Rows`,
      rollup: (level: RollupLevel) =>
        keyed(level, c) ? `sumIf(transactions, ${c} IS NOT NULL)` : `sum(${c}Rows)`,
      raw: `count(${c})`,
    },
    {
      id: `${c}Distinct`,
      // A level keyed by the dimension counts its values; a dimensionless one merges its states.
      rollup: (level: RollupLevel) =>
        keyed(level, c)
          ? `uniqExact(${c})`
          : level.distinctStates?.includes(c)
            ? `uniqExactMerge(${c}U)`
            : null,
      raw: `uniqExact(${c})`,
    },
  ]),
  ...rawOnlyStrings.flatMap((c) => [
    { id: `${c}Rows`, rollup: `sum(${c}Rows)`, raw: `count(${c})` },
    {
      id: `${c}Distinct`,
      // uniqExact of a String and the merged uniqExact states hold the same 128-bit hashes: exact.
      rollup: (level: RollupLevel) => (level.distinctStates?.includes(c) ? `uniqExactMerge(${c}U)` : null),
      raw: `uniqExact(${c})`,
    },
  ]),
];

/** Every sales measure combines across pieces of a range: sums add up, distinct sets merge. */
export const SALES_MEASURES: readonly MeasureDef[] = MEASURES.map((m) => ({
  ...m,
  partial: m.id.endsWith('Distinct') ? { distinctOf: m.id.slice(0, -'Distinct'.length) } : 'sum',
}));

/** Whether a level keeps a dimension in its key (the all-dimension levels keep every one). */
function keyed(level: RollupLevel, dimension: string): boolean {
  return (level.keyDimensions ?? SALES_DIMENSIONS).includes(dimension);
}

const uniqueCount = (id: string, enumValue: string, column: string, what: string): KpiDef => ({
  id,
  enumValue,
  description: `Exact number of distinct ${what} in the slice.`,
  unit: 'COUNT',
  formula: `count(distinct ${column})`,
  needs: [column],
  expression: `{${column}Distinct}`,
});

/** The sales KPIs: resolvers, the KPI catalog and the planner all read this one list. */
export const SALES_KPIS: readonly KpiDef[] = [
  {
    id: 'totalRevenue',
    enumValue: 'TOTAL_REVENUE',
    description: 'Gross revenue before returns.',
    unit: 'MONEY',
    formula: 'sum(grossRevenue)',
    needs: ['grossRevenue'],
    expression: '{grossRevenue}',
  },
  {
    id: 'returnsValue',
    enumValue: 'RETURNS_VALUE',
    description: 'Value of returns (negative: money given back).',
    unit: 'MONEY',
    formula: 'sum(returnsValue)',
    needs: ['returnsValue'],
    expression: '{returnsValue}',
  },
  {
    id: 'netSales',
    enumValue: 'NET_SALES',
    description: 'Revenue after returns.',
    unit: 'MONEY',
    formula: 'sum(grossRevenue) + sum(returnsValue)',
    needs: ['grossRevenue', 'returnsValue'],
    expression: '{grossRevenue} + {returnsValue}',
  },
  {
    id: 'returnRate',
    enumValue: 'RETURN_RATE',
    description: 'Share of gross revenue given back as returns (0.05 = 5%).',
    unit: 'RATIO',
    formula: '-sum(returnsValue) / sum(grossRevenue)',
    needs: ['grossRevenue', 'returnsValue'],
    expression: '-toFloat64({returnsValue}) / toFloat64({grossRevenue})',
    denominator: 'grossRevenue',
  },
  {
    id: 'totalCost',
    enumValue: 'TOTAL_COST',
    description: 'Cost of the goods sold.',
    unit: 'MONEY',
    formula: 'sum(totalCost)',
    needs: ['totalCost'],
    expression: '{totalCost}',
  },
  {
    id: 'grossProfit',
    enumValue: 'GROSS_PROFIT',
    description: 'Gross revenue minus cost.',
    unit: 'MONEY',
    formula: 'sum(grossRevenue) - sum(totalCost)',
    needs: ['grossRevenue', 'totalCost'],
    expression: '{grossRevenue} - {totalCost}',
  },
  {
    id: 'grossMargin',
    enumValue: 'GROSS_MARGIN',
    description: 'Gross profit as a fraction of gross revenue (0.3 = 30%).',
    unit: 'RATIO',
    formula: '(sum(grossRevenue) - sum(totalCost)) / sum(grossRevenue)',
    needs: ['grossRevenue', 'totalCost'],
    expression: 'toFloat64({grossRevenue} - {totalCost}) / toFloat64({grossRevenue})',
    denominator: 'grossRevenue',
  },
  {
    id: 'unitsSold',
    enumValue: 'UNITS_SOLD',
    description: 'Units sold.',
    unit: 'QUANTITY',
    formula: 'sum(unitsSold)',
    needs: ['unitsSold'],
    expression: '{unitsSold}',
  },
  {
    id: 'unitsReturned',
    enumValue: 'UNITS_RETURNED',
    description: 'Units returned (negative).',
    unit: 'QUANTITY',
    formula: 'sum(unitsReturned)',
    needs: ['unitsReturned'],
    expression: '{unitsReturned}',
  },
  {
    id: 'netUnitsSold',
    enumValue: 'NET_UNITS_SOLD',
    description: 'Units sold after returns.',
    unit: 'QUANTITY',
    formula: 'sum(unitsSold) + sum(unitsReturned)',
    needs: ['unitsSold', 'unitsReturned'],
    expression: '{unitsSold} + {unitsReturned}',
  },
  {
    id: 'transactions',
    enumValue: 'TRANSACTIONS',
    description: 'Number of sales lines.',
    unit: 'COUNT',
    formula: 'count()',
    needs: [],
    expression: '{transactions}',
  },
  {
    id: 'lineItems',
    enumValue: 'LINE_ITEMS',
    description: 'Number of line items.',
    unit: 'COUNT',
    formula: 'sum(lineItemCount)',
    needs: ['lineItemCount'],
    expression: '{lineItemCount}',
  },
  {
    id: 'averageTransaction',
    enumValue: 'AVERAGE_TRANSACTION',
    description: 'Gross revenue per sales line.',
    unit: 'MONEY_PER_TRANSACTION',
    formula: 'sum(grossRevenue) / count()',
    needs: ['grossRevenue'],
    expression: 'toFloat64({grossRevenue}) / {transactions}',
    denominator: 'transactions',
  },
  uniqueCount('uniqueProducts', 'UNIQUE_PRODUCTS', 'item', 'items (products)'),
  uniqueCount('uniqueBranches', 'UNIQUE_BRANCHES', 'branch', 'branches'),
  uniqueCount('uniqueSalespeople', 'UNIQUE_SALESPEOPLE', 'salesPerson', 'sales people'),
  uniqueCount('uniqueCustomers', 'UNIQUE_CUSTOMERS', 'customer', 'customers'),
];
