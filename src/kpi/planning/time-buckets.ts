import { param, sql, trustedSql, type Sql, type SqlParam } from '../../warehouse/sql';
import type { Grain } from '../kpi-types';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Upper bound of a bucket's length, to bound the number of buckets a series can have. */
export const GRAIN_MS: Record<Grain, number> = {
  HOUR: HOUR_MS,
  DAY: DAY_MS,
  WEEK: 7 * DAY_MS,
  MONTH: 28 * DAY_MS,
};
/** Local buckets of a grain start on local hours (HOUR) or local midnights (DAY, WEEK, MONTH). */
export const GRAIN_BOUNDARY_MS: Record<Grain, number> = {
  HOUR: HOUR_MS,
  DAY: DAY_MS,
  WEEK: DAY_MS,
  MONTH: DAY_MS,
};

/** Local-time bucket start for a grain, as a DateTime in the requested zone. */
export function bucketStart(grain: Grain, time: Sql, zone: Sql): Sql {
  switch (grain) {
    case 'HOUR':
      return sql`toStartOfHour(${time}, ${zone})`;
    case 'DAY':
      return sql`toStartOfDay(${time}, ${zone})`;
    case 'WEEK':
      return sql`toDateTime(toMonday(${time}, ${zone}), ${zone})`;
    case 'MONTH':
      return sql`toDateTime(toStartOfMonth(${time}, ${zone}), ${zone})`;
  }
}

/** One bucket of a grain, as an interval to add to its start. */
export const INTERVAL: Record<Grain, Sql> = {
  HOUR: trustedSql('INTERVAL 1 HOUR'),
  DAY: trustedSql('INTERVAL 1 DAY'),
  WEEK: trustedSql('INTERVAL 1 WEEK'),
  MONTH: trustedSql('INTERVAL 1 MONTH'),
};

function dateTime64Text(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** An instant bound with milliseconds, as the raw tables' time column is compared. */
export function dateTime64Param(date: Date): SqlParam {
  return param(dateTime64Text(date), "DateTime64(3, 'UTC')");
}

/** Whole seconds only, as a rollup's bucket column is: refuses a time that would be truncated. */
export function dateTimeParam(date: Date): SqlParam {
  if (date.getTime() % 1000 !== 0) throw new Error(`${date.toISOString()} is not on a whole second`);
  return param(dateTime64Text(date).slice(0, 19), "DateTime('UTC')");
}
