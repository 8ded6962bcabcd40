import type { RollupLevel } from './dataset-kinds';

const QUARTER_MS = 900_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The breakdown dimensions of sales; each has an hourly rollup of its own. */
export const SALES_DIMENSIONS = ['branch', 'productLine', 'itemGroup', 'salesPerson'] as const;

/** Distinct sets kept exactly in the dimensionless hourly and daily rollups (migrations 0007, 0009). */
const STATES = ['customer', 'item', 'account', 'branch', 'salesPerson'];

/**
 * The sales rollups, smallest first: a request reads the first that answers it exactly
 * (docs/rollups.md). Dimensionless levels serve totals and series (15-minute buckets for zones
 * with half- and quarter-hour offsets); one hourly level per dimension serves a breakdown by it
 * or a filter on it; the all-dimension daily level serves filters naming two or more dimensions.
 */
export const SALES_ROLLUPS: readonly RollupLevel[] = [
  {
    grain: 'd1',
    table: 'sales_d1',
    timeColumn: 'bucket',
    bucketMs: DAY_MS,
    keyDimensions: [],
    distinctStates: STATES,
    // The hour rows of the same upload: about 1/4,500 of its raw rows at 10 M (measured, docs/rollups.md).
    from: 'h1',
  },
  {
    grain: 'h1',
    table: 'sales_h1',
    timeColumn: 'bucket',
    bucketMs: HOUR_MS,
    keyDimensions: [],
    distinctStates: STATES,
  },
  { grain: 'q15', table: 'sales_q15', timeColumn: 'bucket', bucketMs: QUARTER_MS, keyDimensions: [] },
  ...SALES_DIMENSIONS.map((dimension): RollupLevel => ({
    grain: `${dimension}_h`,
    table: `sales_${dimension}_h`,
    timeColumn: 'bucket',
    bucketMs: HOUR_MS,
    keyDimensions: [dimension],
  })),
  // Filters naming two or more dimensions over whole UTC days; over other ranges they read raw
  // (the all-dimension hourly rollup was dropped by migration 0008: barely smaller than raw).
  { grain: 'daily', table: 'sales_daily', timeColumn: 'day', bucketMs: DAY_MS },
];
