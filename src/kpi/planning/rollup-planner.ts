import { badInput } from '../../errors/app-error';
import { emptySql, joinSql, sql, trustedIdentifier, type Sql } from '../../warehouse/sql';
import {
  coverageMeasures,
  kpiOf,
  measureOf,
  measuresOf,
  type KpiKindDefinition,
} from '../definitions/kind-definition';
import type { KpiDef, KpiRequest } from '../kpi-types';
import { measureAliasSql, rankingSql } from './measure-sql';
import type { CompiledQuery, PlannerContext, QuerySource } from './planner-types';
import { measureSql, resolveSource, rollupLevelOf, tableOf, timeColumnOf } from './query-source';
import {
  combineSql,
  partialSql,
  pieceTable,
  piecesTimeFilter,
  planPieces,
  type StitchPiece,
} from './range-stitching';
import { validateRequest } from './request-validation';
import { bucketStart, dateTime64Param, dateTimeParam, INTERVAL } from './time-buckets';

/**
 * The planner of kinds whose KPIs are formulas over row aggregates (sales, and the toy kind of
 * the tests): one aggregation level over the cheapest table that answers exactly, measures only;
 * the KPI formulas run in the gateway (evaluation/kpi-formula.ts).
 */
export function planRollupQuery(
  request: KpiRequest,
  context: PlannerContext,
  kind: KpiKindDefinition,
): CompiledQuery {
  validateRequest(request, kind);
  const shape = request.shape;
  if (shape.type === 'hourOfDay') throw badInput(`The ${request.kind} report has no hour-of-day pattern`);
  const kpis = requestedKpis(request, kind);
  const complete = new Set(context.completeColumns ?? []);
  const measures = [
    ...new Set(
      kpis.flatMap((k) =>
        context.supportOnly ? supportMeasuresOf(kind, k, complete) : measuresOf(kind, k, complete),
      ),
    ),
  ].sort();
  const pieces = planPieces(request, kind, measures, context);
  if (pieces.length > 1) {
    return {
      kind: request.kind,
      fragment: stitchedStatement(request, context, kind, { pieces, measures, complete }).compile(),
      source: pieces[0]?.source ?? 'raw',
      sources: pieces.map((piece) => piece.source),
      measures,
      kpis,
      completeColumns: complete,
    };
  }
  const source = resolveSource(request, kind, measures, pieces[0]?.source ?? 'raw');
  const select = measures.map(
    (id) => sql`${measureSql(measureOf(kind, id), kind, source)} AS ${measureAliasSql(id)}`,
  );
  const grouping = groupingOf(request, kind, complete, source);
  const statement = sql`SELECT ${joinSql([...grouping.columns, ...select])}
FROM ${tableOf(context.database, kind, source)}
WHERE ${rowFilter(request, context, kind, source)}${grouping.tail}`;
  return {
    kind: request.kind,
    fragment: statement.compile(),
    source,
    measures,
    kpis,
    completeColumns: complete,
  };
}

/** The KPIs asked for, and the one a breakdown is ranked by. */
export function requestedKpis(request: KpiRequest, kind: KpiKindDefinition): KpiDef[] {
  const ids = new Set(request.kpis);
  if (request.shape.type === 'breakdown') ids.add(request.shape.orderBy);
  return [...ids].map((id) => kpiOf(kind, id));
}

/**
 * The rows of the slice: the dataset, the range, no hidden upload, the filters. A rollup's range
 * lies on its whole buckets, so it is bound as the DateTime its time column is; raw keeps
 * milliseconds.
 */
function rowFilter(
  request: KpiRequest,
  context: PlannerContext,
  kind: KpiKindDefinition,
  source: QuerySource,
): Sql {
  const time = timeColumnOf(kind, source);
  const bind = rollupLevelOf(kind, source) ? dateTimeParam : dateTime64Param;
  return sliceFilter(request, context, [
    sql`${time} >= ${bind(request.range.from)}`,
    sql`${time} < ${bind(request.range.to)}`,
  ]);
}

/** The dataset, the time conditions given, no hidden upload, the filters. */
function sliceFilter(request: KpiRequest, context: PlannerContext, time: Sql[]): Sql {
  const conditions = [sql`dataset = ${request.dataset}`, ...time];
  if (context.hiddenUploads.length > 0) conditions.push(sql`upload_id NOT IN ${[...context.hiddenUploads]}`);
  for (const [dimension, values] of Object.entries(request.filters).sort(([a], [b]) => a.localeCompare(b)))
    conditions.push(sql`${trustedIdentifier(dimension)} IN ${[...values]}`);
  return joinSql(conditions, ' AND ');
}

/**
 * One statement over the pieces of a range (whole days, edge hours, sub-hour edges): each piece
 * aggregates its partials in one sub-select, UNION ALL, and the outer query combines them (sums
 * of sums, merged distinct states) under the measure aliases the single-table query uses.
 */
function stitchedStatement(
  request: KpiRequest,
  context: PlannerContext,
  kind: KpiKindDefinition,
  plan: { pieces: readonly StitchPiece[]; measures: readonly string[]; complete: ReadonlySet<string> },
): Sql {
  const partialAlias = (id: string) => trustedIdentifier(`p_${id}`);
  const shape = request.shape;
  // The group key each piece computes on its own time column (a local bucket, a dimension).
  const keyOf = (piece: StitchPiece): Sql[] => {
    if (shape.type === 'breakdown') return [sql`${trustedIdentifier(shape.by)} AS g_key`];
    if (shape.type !== 'series') return [];
    const time = timeColumnOf(kind, piece.source);
    return [sql`${bucketStart(shape.grain, time, sql`${request.timeZone}`)} AS g_bucket`];
  };
  const subSelects = plan.pieces.map((piece) => {
    const partials = plan.measures.map(
      (id) => sql`${partialSql(measureOf(kind, id), kind, piece.source)} AS ${partialAlias(id)}`,
    );
    const key = keyOf(piece);
    const groupBy =
      shape.type === 'breakdown'
        ? sql`\nGROUP BY g_key`
        : shape.type === 'series'
          ? sql`\nGROUP BY g_bucket`
          : emptySql;
    return sql`SELECT ${joinSql([...key, ...partials])}
FROM ${pieceTable(context.database, kind, piece)}
WHERE ${sliceFilter(request, context, [piecesTimeFilter(kind, piece)])}${groupBy}`;
  });
  const combined = plan.measures.map(
    (id) => sql`${combineSql(measureOf(kind, id), partialAlias(id))} AS ${measureAliasSql(id)}`,
  );
  const outer = outerGrouping(request, kind, plan.complete);
  return sql`SELECT ${joinSql([...outer.columns, ...combined])}
FROM (
${joinSql(subSelects, '\nUNION ALL\n')}
)${outer.tail}`;
}

/** The outer query's group columns over the pieces' keys, and what follows its FROM. */
function outerGrouping(
  request: KpiRequest,
  kind: KpiKindDefinition,
  complete: ReadonlySet<string>,
): { columns: Sql[]; tail: Sql } {
  const shape = request.shape;
  if (shape.type === 'breakdown')
    return { columns: [sql`g_key`], tail: sql`\nGROUP BY g_key\n${rankingSql(kind, shape, complete)}` };
  if (shape.type === 'series')
    return {
      columns: [
        sql`g_bucket`,
        sql`toUnixTimestamp(g_bucket) AS bucket_start`,
        sql`toUnixTimestamp(g_bucket + ${INTERVAL[shape.grain]}) AS bucket_end`,
      ],
      tail: sql`\nGROUP BY g_bucket\nORDER BY g_bucket`,
    };
  return { columns: [], tail: emptySql };
}

/** The group columns a shape adds in front of the measures, and what follows the WHERE clause. */
function groupingOf(
  request: KpiRequest,
  kind: KpiKindDefinition,
  complete: ReadonlySet<string>,
  source: QuerySource,
): { columns: Sql[]; tail: Sql } {
  const shape = request.shape;
  if (shape.type === 'series') {
    const start = bucketStart(shape.grain, timeColumnOf(kind, source), sql`${request.timeZone}`);
    return {
      columns: [
        sql`${start} AS g_bucket`,
        sql`toUnixTimestamp(g_bucket) AS bucket_start`,
        sql`toUnixTimestamp(g_bucket + ${INTERVAL[shape.grain]}) AS bucket_end`,
      ],
      tail: sql`\nGROUP BY g_bucket\nORDER BY g_bucket`,
    };
  }
  if (shape.type === 'breakdown') {
    return {
      columns: [sql`${trustedIdentifier(shape.by)} AS g_key`],
      tail: sql`\nGROUP BY g_key\n${rankingSql(kind, shape, complete)}`,
    };
  }
  return { columns: [], tail: emptySql };
}

/** What deciding eligibility reads: the row count, coverage counts and the denominator. */
function supportMeasuresOf(kind: KpiKindDefinition, kpi: KpiDef, complete: ReadonlySet<string>): string[] {
  return [
    'transactions',
    ...coverageMeasures(kind, kpi, complete),
    ...(kpi.denominator ? [kpi.denominator] : []),
  ];
}
