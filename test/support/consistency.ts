import { sql } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';

/** Rollup sum → the raw expression it must equal, for every measure the hourly rollup keeps. */
const MEASURES: Record<string, string> = {
  transactions: 'count()',
  grossRevenueSum: 'sum(grossRevenue)',
  returnsValueSum: 'sum(ifNull(returnsValue, 0))',
  returnsValueRows: 'count(returnsValue)',
  unitsSoldSum: 'sum(ifNull(unitsSold, 0))',
  unitsSoldRows: 'count(unitsSold)',
  unitsReturnedSum: 'sum(ifNull(unitsReturned, 0))',
  totalCostSum: 'sum(ifNull(totalCost, 0))',
  totalCostRows: 'count(totalCost)',
  lineItemCountSum: 'sum(ifNull(lineItemCount, 0))',
  customerRows: 'count(customer)',
};

/**
 * The dataset's raw rows and, per hour, every rollup total next to the same total computed from
 * the raw rows: equal when nothing was double-counted or half-loaded on either side.
 */
export async function rawAndRollup(warehouse: Warehouse, dataset: string): Promise<{ rawRows: number; raw: string[]; rollup: string[] }> {
  const db = warehouse.database;
  const names = Object.keys(MEASURES);
  const { rows: raw } = await warehouse.query<{ line: string }>(
    sql(`SELECT concat(toString(toStartOfHour(time)), ' ', ${names.map((n) => `toString(${MEASURES[n]})`).join(", ' ', ")}) AS line FROM ${db}.sales_raw WHERE dataset = {d:String} GROUP BY toStartOfHour(time) ORDER BY line`, { d: dataset }),
  );
  const { rows: rollup } = await warehouse.query<{ line: string }>(
    sql(`SELECT concat(toString(hour), ' ', ${names.map((n) => `toString(sum(${n}))`).join(", ' ', ")}) AS line FROM ${db}.sales_hourly WHERE dataset = {d:String} GROUP BY hour ORDER BY line`, { d: dataset }),
  );
  const { rows: count } = await warehouse.query<{ n: string }>(sql(`SELECT count() AS n FROM ${db}.sales_raw WHERE dataset = {d:String}`, { d: dataset }));
  return { rawRows: Number(count[0].n), raw: raw.map((r) => r.line), rollup: rollup.map((r) => r.line) };
}

/** Raw rows equal `rows` exactly once, and every hourly rollup total equals the raw one. */
export async function expectLoadedOnce(warehouse: Warehouse, dataset: string, rows: number): Promise<void> {
  const state = await rawAndRollup(warehouse, dataset);
  if (state.rawRows !== rows) throw new Error(`${dataset}: expected ${rows} raw rows, found ${state.rawRows}`);
  if (JSON.stringify(state.raw) !== JSON.stringify(state.rollup)) throw new Error(`${dataset}: rollup differs from raw:\nraw    ${state.raw.join('\n       ')}\nrollup ${state.rollup.join('\n       ')}`);
}
