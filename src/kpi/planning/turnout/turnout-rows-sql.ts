import { DATASET_KINDS } from '../../../datasets/dataset-kinds';
import { joinSql, sql, trustedTable, type Sql } from '../../../warehouse/sql';
import { measureOf } from '../../definitions/kind-definition';
import { measureSql, tableOf } from '../query-source';
import { bucketStart, dateTime64Param } from '../time-buckets';
import { prefixed, type TurnoutPlan } from './turnout-plan';

/**
 * The constituency registry of the election, as two CTEs: `reg_rows`, its visible rows, and
 * `reg`, one row per constituency of its newest upload (the replace rule), within the filters.
 */
export function registryCtes(plan: TurnoutPlan): Sql[] {
  if (!plan.withRegistry) return [];
  const registry = plan.election.registry ?? '';
  const hidden = plan.context.companionHiddenUploads?.[registry] ?? [];
  const visible = [sql`dataset = ${registry}`, sql`electionId = ${plan.election.electionId}`];
  if (hidden.length > 0) visible.push(sql`upload_id NOT IN ${[...hidden]}`);
  const scope = [sql`upload_id = (SELECT argMax(upload_id, uploaded_at) FROM reg_rows)`];
  if (plan.constituencies) scope.push(sql`constituencyId IN ${[...plan.constituencies]}`);
  if (plan.regions) scope.push(sql`r_region IN ${[...plan.regions]}`);
  const table = trustedTable(plan.context.database, DATASET_KINDS.constituencies.rawTable);
  return [
    sql`reg_rows AS (SELECT upload_id, uploaded_at, constituencyId, region AS r_region, registeredVoters AS r_voters FROM ${table} WHERE ${joinSql(visible, ' AND ')})`,
    sql`reg AS (SELECT constituencyId, any(r_region) AS region, sum(r_voters) AS registered, toUInt8(1) AS known FROM reg_rows WHERE ${joinSql(scope, ' AND ')} GROUP BY constituencyId)`,
  ];
}

/**
 * The time group of a row: its local bucket (series), its local hour (hour of day), or nothing
 * (totals, breakdowns). Reading the registry, rows before the window are read too, and fall into
 * one sentinel group (epoch 0, or 1) that only cumulative values read.
 */
function timeGroup(plan: TurnoutPlan): Sql {
  const { request, timeColumn } = plan;
  const before = sql`${timeColumn} < ${dateTime64Param(request.range.from)}`;
  const zone = sql`${request.timeZone}`;
  switch (request.shape.type) {
    case 'series': {
      const bucket = bucketStart(request.shape.grain, timeColumn, zone);
      return plan.needsRegistry ? sql`if(${before}, toDateTime(0, ${zone}), ${bucket})` : bucket;
    }
    case 'hourOfDay':
      return sql`toHour(${timeColumn}, ${zone})`;
    default:
      return plan.needsRegistry ? sql`toUInt8(${before})` : sql`toUInt8(0)`;
  }
}

/** The rows of the election the statement reads: up to the window's end, from its start unless cumulative. */
function rowFilter(plan: TurnoutPlan): Sql {
  const { request, timeColumn } = plan;
  const conditions = [
    sql`dataset = ${request.dataset}`,
    sql`electionId = ${plan.election.electionId}`,
    sql`${timeColumn} < ${dateTime64Param(request.range.to)}`,
  ];
  if (!plan.needsRegistry) conditions.push(sql`${timeColumn} >= ${dateTime64Param(request.range.from)}`);
  if (plan.context.hiddenUploads.length > 0)
    conditions.push(sql`upload_id NOT IN ${[...plan.context.hiddenUploads]}`);
  if (plan.constituencies) conditions.push(sql`constituencyId IN ${[...plan.constituencies]}`);
  if (plan.regions) conditions.push(sql`constituencyId IN (SELECT constituencyId FROM reg)`);
  return joinSql(conditions, ' AND ');
}

/**
 * `cells`: the row measures per constituency and time group; `scoped`: each cell with its
 * constituency's registry row (`known` is 0 where there is none).
 */
export function cellCtes(plan: TurnoutPlan): Sql[] {
  const { kind, source } = plan;
  const measures = plan.rowMeasures.map(
    (id) => sql`${measureSql(measureOf(kind, id), kind, source)} AS ${prefixed('c_', id)}`,
  );
  const table = tableOf(plan.context.database, kind, source);
  return [
    sql`cells AS (SELECT constituencyId, ${timeGroup(plan)} AS g_time, ${joinSql(measures)} FROM ${table} WHERE ${rowFilter(plan)} GROUP BY constituencyId, g_time)`,
    plan.withRegistry
      ? sql`scoped AS (SELECT * FROM cells LEFT JOIN reg USING (constituencyId))`
      : sql`scoped AS (SELECT * FROM cells)`,
  ];
}
