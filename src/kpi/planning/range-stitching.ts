import type { RollupLevel } from '../../datasets/dataset-kinds';
import { joinSql, sql, trustedIdentifier, trustedSql, type Sql } from '../../warehouse/sql';
import { measureOf, type KpiKindDefinition } from '../definitions/kind-definition';
import type { KpiRequest, MeasureDef, TimeRange } from '../kpi-types';
import type { PlannerContext, QuerySource } from './planner-types';
import { chooseSource, rollupMismatch, rollupSqlOf, tableOf, timeColumnOf } from './query-source';
import { distinctColumnsOf, planCost } from './size-rule';
import { dateTime64Param, dateTimeParam, DAY_MS, HOUR_MS } from './time-buckets';

/** One source of a stitched answer and the parts of the range it reads. */
export interface StitchPiece {
  readonly source: QuerySource;
  readonly ranges: readonly TimeRange[];
}

/**
 * Without the dataset's size (no `PlannerContext.size`), a range shorter than this reads raw: its
 * rows are one primary-key range of the raw table, and each extra sub-select costs more than it
 * saves. With the size, the size rule (size-rule.ts) decides instead.
 */
export const STITCH_MIN_MS = 2 * DAY_MS;

/**
 * The tables a request reads and the parts of the range each covers: one piece (a single table
 * over the whole range) or several stitched in one statement (whole UTC days from the daily
 * level, whole hours at the edges from the hourly level of the same key, sub-hour edges from
 * raw). A forced source is read alone. Otherwise the candidates are the coarsest single table
 * that answers exactly, the stitched pieces, and the raw table; with the dataset's size the
 * cheapest by estimated reads wins (so short ranges and small datasets read raw), without it the
 * single table, else pieces of ranges of ≥ 2 days, else raw. A series keeps its local buckets: a
 * level joins only where they fall on its UTC buckets (the same rule as for a whole range).
 */
export function planPieces(
  request: KpiRequest,
  kind: KpiKindDefinition,
  measures: readonly string[],
  context: PlannerContext,
): StitchPiece[] {
  const whole = (source: QuerySource): StitchPiece[] => [{ source, ranges: [request.range] }];
  if (context.source !== undefined) return whole(context.source);
  const chosen = chooseSource(request, kind, measures);
  const family = measures.every((id) => measureOf(kind, id).partial !== undefined)
    ? familyOf(request, kind, measures)
    : [];
  const stitched = splitRange(request, family);
  const size = context.size;
  if (!size) {
    if (chosen !== 'raw') return whole(chosen);
    const long = request.range.to.getTime() - request.range.from.getTime() >= STITCH_MIN_MS;
    return long && stitched ? stitched : whole('raw');
  }
  // Coarser families too (whole days and raw edges, without the hourly piece): where the edges
  // hold few rows, one sub-select less is cheaper than reading them from a finer level.
  const variants = family
    .map((_, i) => splitRange(request, family.slice(0, i + 1)))
    .filter((pieces): pieces is StitchPiece[] => pieces !== null && pieces.length > 1);
  const candidates = [...(chosen !== 'raw' ? [whole(chosen)] : []), ...variants.reverse(), whole('raw')];
  const distinct = distinctColumnsOf(kind, measures);
  const costs = candidates.map((pieces) => planCost(size, kind, { pieces }, distinct));
  const best = costs.indexOf(Math.min(...costs));
  return candidates[best] ?? whole('raw');
}

/** The range split over levels of the request's family, coarsest first, raw for the rest; null when no level joins. */
function splitRange(request: KpiRequest, family: readonly RollupLevel[]): StitchPiece[] | null {
  if (family.length === 0) return null;
  const pieces: StitchPiece[] = [];
  let remaining: TimeRange[] = [request.range];
  for (const level of family) {
    const whole: TimeRange[] = [];
    const rest: TimeRange[] = [];
    for (const range of remaining) {
      const from = Math.ceil(range.from.getTime() / level.bucketMs) * level.bucketMs;
      const to = Math.floor(range.to.getTime() / level.bucketMs) * level.bucketMs;
      if (from >= to) {
        rest.push(range);
        continue;
      }
      whole.push({ from: new Date(from), to: new Date(to) });
      if (range.from.getTime() < from) rest.push({ from: range.from, to: new Date(from) });
      if (to < range.to.getTime()) rest.push({ from: new Date(to), to: range.to });
    }
    if (whole.length > 0) pieces.push({ source: level.grain, ranges: whole });
    remaining = rest;
  }
  if (pieces.length === 0) return null;
  if (remaining.length > 0) pieces.push({ source: 'raw', ranges: remaining });
  return pieces;
}

/**
 * The levels whose whole buckets answer the request, coarsest first: those of the first level
 * (smallest first) that answers it on aligned ranges, with the same key. Levels finer than an
 * hour join only when no hourly or daily level can (zones with +05:30/+05:45 offsets): below
 * ~8 k rows per hour a raw granule already spans more than an hour, so they would not pay.
 */
function familyOf(request: KpiRequest, kind: KpiKindDefinition, measures: readonly string[]): RollupLevel[] {
  const answers = (level: RollupLevel) =>
    rollupMismatch({ ...request, range: alignedTo(request.range, level.bucketMs) }, kind, measures, level) ===
    null;
  const eligible = kind.tables.rollups.filter(answers);
  const coarse = eligible.filter((level) => level.bucketMs >= HOUR_MS);
  const first = coarse[0] ?? eligible[0];
  if (!first) return [];
  const key = (level: RollupLevel) => JSON.stringify(level.keyDimensions ?? null);
  return (coarse.length > 0 ? coarse : eligible)
    .filter((level) => key(level) === key(first))
    .sort((a, b) => b.bucketMs - a.bucketMs);
}

/**
 * A measure's partial aggregate on one piece, which the outer query combines: sums add up;
 * exact distinct sets are carried as `uniqExact` states (merged from a rollup's states or built
 * from the raw column, the same type either way) and merged once at the end.
 */
export function partialSql(def: MeasureDef, kind: KpiKindDefinition, source: QuerySource): Sql {
  const partial = def.partial;
  if (partial === undefined) throw new Error(`Measure ${def.id} has no partial form`);
  const level = source === 'raw' ? null : kind.tables.rollups.find((l) => l.grain === source);
  if (partial === 'sum') {
    const text = level ? rollupSqlOf(def, level) : def.raw;
    if (text === null) throw new Error(`Measure ${def.id} is not in the ${source} rollup`);
    return trustedSql(text);
  }
  const column = trustedIdentifier(partial.distinctOf);
  if (level?.distinctStates?.includes(partial.distinctOf))
    return sql`uniqExactMergeState(${trustedIdentifier(`${partial.distinctOf}U`)})`;
  if (level && !(level.keyDimensions ?? kind.dimensions).includes(partial.distinctOf))
    throw new Error(`Measure ${def.id} is not in the ${source} rollup`);
  return sql`uniqExactState(${column})`;
}

/** How the outer query combines a measure's partials. */
export function combineSql(def: MeasureDef, partialAlias: Sql): Sql {
  return def.partial === 'sum' ? sql`sum(${partialAlias})` : sql`uniqExactMerge(${partialAlias})`;
}

/** `(t >= a AND t < b) OR …` over a piece's ranges, bound as its time column's type. */
export function piecesTimeFilter(kind: KpiKindDefinition, piece: StitchPiece): Sql {
  const time = timeColumnOf(kind, piece.source);
  const bind = piece.source === 'raw' ? dateTime64Param : dateTimeParam;
  return sql`(${joinSql(
    piece.ranges.map((r) => sql`(${time} >= ${bind(r.from)} AND ${time} < ${bind(r.to)})`),
    ' OR ',
  )})`;
}

/** The table a piece reads. */
export function pieceTable(database: string, kind: KpiKindDefinition, piece: StitchPiece): Sql {
  return tableOf(database, kind, piece.source);
}

/** The range widened to whole buckets of a length: what a level would read around it. */
function alignedTo(range: TimeRange, bucketMs: number): TimeRange {
  return {
    from: new Date(Math.floor(range.from.getTime() / bucketMs) * bucketMs),
    to: new Date(Math.ceil(range.to.getTime() / bucketMs) * bucketMs),
  };
}
