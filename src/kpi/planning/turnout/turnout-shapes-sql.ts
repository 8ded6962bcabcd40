import {
  emptySql,
  joinSql,
  param,
  sql,
  trustedIdentifier,
  trustedSql,
  type Sql,
} from '../../../warehouse/sql';
import { measureAliasSql, rankingSql } from '../measure-sql';
import { INTERVAL, HOUR_MS } from '../time-buckets';
import { MAX_LISTED_CONSTITUENCIES, prefixed, type TurnoutPlan } from './turnout-plan';

/** What a shape adds to the statement: CTEs, the inner query, the columns it passes out, the tail. */
export interface ShapedQuery {
  readonly ctes: readonly Sql[];
  readonly body: Sql;
  readonly outer: readonly Sql[];
  readonly tail: Sql;
}

const LISTED = trustedSql(String(MAX_LISTED_CONSTITUENCIES));
const RUNNING = trustedSql('OVER (ORDER BY g_bucket ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)');
const TOTAL_REGISTERED = sql`(SELECT sum(registered) FROM reg)`;

/**
 * Sums of the row measures from one level into the next. Each level names its columns apart (c_
 * per cell, pc_ per constituency, m_ per group): an alias that reuses the name of the column it
 * aggregates would be read back in place of that column.
 */
function sums(plan: TurnoutPlan, from: 'c_' | 'pc_', to: 'pc_' | 'm_', only?: Sql): Sql[] {
  return plan.rowMeasures.map((id) =>
    only
      ? sql`sumIf(${prefixed(from, id)}, ${only}) AS ${prefixed(to, id)}`
      : sql`sum(${prefixed(from, id)}) AS ${prefixed(to, id)}`,
  );
}

/** Constituencies matching `condition` with no registry row: how many, and the first of them. */
function registryGaps(condition: Sql, count: string, list: string): Sql[] {
  return [
    sql`uniqExactIf(constituencyId, ${condition}) AS ${trustedIdentifier(count)}`,
    sql`arraySlice(arraySort(groupUniqArrayIf(constituencyId, ${condition})), 1, ${LISTED}) AS ${trustedIdentifier(list)}`,
  ];
}

function windowHours(plan: TurnoutPlan): Sql {
  const { from, to } = plan.request.range;
  return sql`${param((to.getTime() - from.getTime()) / HOUR_MS, 'Float64')} AS m_windowHours`;
}

/**
 * One row per local bucket. Reading the registry, a bucket's own gaps are those of its cells;
 * its gaps up to its end are the constituencies missing from the registry whose first cell is in
 * it or before (the sentinel bucket of rows before the window included), summed in bucket order
 * like the cumulative votes.
 */
export function seriesSql(plan: TurnoutPlan, grain: keyof typeof INTERVAL): ShapedQuery {
  const { from, to } = plan.request.range;
  const end = sql`g_bucket + ${INTERVAL[grain]}`;
  const ctes: Sql[] = [];
  if (plan.needsRegistry)
    ctes.push(
      // Only the first of each bucket's new gaps can be among the first of the running union.
      sql`first_gaps AS (SELECT g_bucket, count() AS new_missing_count, arraySlice(arraySort(groupArray(constituencyId)), 1, ${LISTED}) AS new_missing FROM (SELECT constituencyId, min(g_time) AS g_bucket FROM scoped WHERE known = 0 GROUP BY constituencyId) GROUP BY g_bucket)`,
    );
  const bucketColumns = [
    ...sums(plan, 'c_', 'm_'),
    ...(plan.needsRegistry ? registryGaps(sql`known = 0`, 'm_registryMissingCount', 'registry_missing') : []),
  ];
  ctes.push(
    sql`buckets AS (SELECT g_time AS g_bucket, ${joinSql(bucketColumns)} FROM scoped GROUP BY g_bucket)`,
  );
  const columns = [
    sql`g_bucket`,
    sql`toUnixTimestamp(g_bucket) AS bucket_start`,
    sql`toUnixTimestamp(${end}) AS bucket_end`,
    ...plan.rowMeasures.map(measureAliasSql),
    sql`(least(toUnixTimestamp(${end}), ${param(to.getTime() / 1000, 'Float64')}) - greatest(toUnixTimestamp(g_bucket), ${param(from.getTime() / 1000, 'Float64')})) / 3600 AS m_windowHours`,
    ...(plan.needsRegistry
      ? [
          sql`sum(m_votesCast) ${RUNNING} AS m_votesCumulative`,
          sql`${TOTAL_REGISTERED} AS m_registered`,
          sql`m_registryMissingCount`,
          sql`registry_missing`,
          sql`sum(new_missing_count) ${RUNNING} AS m_registryMissingToEndCount`,
          sql`arraySlice(arraySort(groupArrayArray(new_missing) ${RUNNING}), 1, ${LISTED}) AS registry_missing_to_end`,
        ]
      : []),
  ];
  const joined = plan.needsRegistry ? sql` LEFT JOIN first_gaps USING (g_bucket)` : emptySql;
  return {
    ctes,
    body: sql`SELECT ${joinSql(columns)} FROM buckets${joined}`,
    outer: [sql`bucket_start`, sql`bucket_end`],
    // The sentinel bucket (rows before the window) only feeds the running sums.
    tail: sql`\nWHERE g_bucket != toDateTime(0, ${plan.request.timeZone})\nORDER BY g_bucket`,
  };
}

/** One row per local hour of day over the whole window. */
export function hourOfDaySql(plan: TurnoutPlan): ShapedQuery {
  return {
    ctes: [],
    body: sql`SELECT g_time AS hour_of_day, ${joinSql([...sums(plan, 'c_', 'm_'), windowHours(plan)])} FROM scoped GROUP BY hour_of_day`,
    outer: [sql`hour_of_day`],
    tail: sql`\nORDER BY hour_of_day`,
  };
}

/**
 * Totals or breakdown groups, from one row per constituency (`per_c`). Reading the registry, the
 * window's sums read only the window's cells (time group 0); votes up to the end read them all.
 */
export function groupsSql(plan: TurnoutPlan): ShapedQuery {
  const key = plan.groupKey;
  const perConstituency = [
    sql`constituencyId`,
    ...(plan.withRegistry
      ? [sql`any(known) AS known`, sql`any(registered) AS registered`, sql`any(region) AS region`]
      : []),
    ...sums(plan, 'c_', 'pc_', plan.needsRegistry ? sql`g_time = 0` : undefined),
    ...(plan.needsRegistry ? [sql`sum(c_votesCast) AS votes_to_end`] : []),
  ];
  const ctes = [sql`per_c AS (SELECT ${joinSql(perConstituency)} FROM scoped GROUP BY constituencyId)`];
  const grouped = [
    ...(key ? [sql`${trustedIdentifier(key)} AS g_key`] : []),
    ...sums(plan, 'pc_', 'm_'),
    ...(plan.needsRegistry ? registryColumns(key) : []),
    windowHours(plan),
  ];
  let groups = sql`SELECT ${joinSql(grouped)} FROM per_c`;
  // A constituency that reported only before the window is not a group of this window.
  if (key) groups = sql`${groups} GROUP BY g_key HAVING m_transactions > 0`;
  if (plan.needsRegistry && key === 'region') {
    ctes.push(
      sql`groups AS (${groups})`,
      sql`reg_regions AS (SELECT ifNull(region, '') AS g_region, sum(registered) AS m_registered FROM reg GROUP BY g_region)`,
    );
    groups = sql`SELECT * FROM groups LEFT JOIN reg_regions USING (g_region)`;
  }
  const shape = plan.request.shape;
  return {
    ctes,
    body: groups,
    outer: key ? [sql`g_key`] : [],
    tail: shape.type === 'breakdown' ? sql`\n${rankingSql(plan.kind, shape, plan.complete)}` : emptySql,
  };
}

/**
 * Per group: votes up to the end, the registry gaps of the window's constituencies and of every
 * constituency up to the end, the over-registered ones, and registered voters of the slice (every
 * registry row matching it, reporting or not).
 */
function registryColumns(key: TurnoutPlan['groupKey']): Sql[] {
  const over = sql`known = 1 AND votes_to_end > registered`;
  return [
    sql`sum(votes_to_end) AS m_votesCumulative`,
    ...registryGaps(sql`known = 0 AND pc_transactions > 0`, 'm_registryMissingCount', 'registry_missing'),
    ...registryGaps(sql`known = 0`, 'm_registryMissingToEndCount', 'registry_missing_to_end'),
    sql`countIf(${over}) AS registry_over_count`,
    sql`arraySlice(arraySort(groupArrayIf(constituencyId, ${over})), 1, ${LISTED}) AS registry_over`,
    key === null
      ? sql`${TOTAL_REGISTERED} AS m_registered`
      : key === 'constituencyId'
        ? sql`sum(registered) AS m_registered`
        : sql`ifNull(region, '') AS g_region`,
  ];
}
