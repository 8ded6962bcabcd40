import type { LimitsConfig } from '../../config/limits-config';
import { AppError, badInput, ErrorCode } from '../../errors/app-error';
import { measuresOf } from '../../kpi/definitions/kind-definition';
import { kpiKind } from '../../kpi/definitions/kpi-kinds';
import { planPieces } from '../../kpi/planning/range-stitching';
import { MAX_FILTER_VALUES } from '../../kpi/planning/request-validation';
import type { Grain, KpiRequest } from '../../kpi/kpi-types';
import { perValueKey, shapeKey } from '../loaders/kpi-loader';
import type { PlannedRequest } from './planned-queries';

/**
 * What an operation asks of ClickHouse, in the terms that make analytics expensive. Counted after
 * the merging the KPI loader does (aliases of one slice, KPI cards per value of one dimension), so
 * a figure is what would really run on a cold cache.
 */
export interface OperationCost {
  /** Distinct warehouse queries: root fields × ranges × report fields, after merging; ledger reads count too. */
  readonly slices: number;
  /** Series buckets over all slices (range ÷ grain). */
  readonly buckets: number;
  /** Breakdown groups over all slices (`top`, or the values of merged per-value cards). */
  readonly groups: number;
  /** KPIs over all slices. */
  readonly kpis: number;
  /**
   * Slices that read the raw table: no rollup answers them exactly, or a range stitched from
   * rollups has raw edges (a stitched range of whole hours reads no raw row and is not counted).
   */
  readonly rawSlices: number;
  /** One number for budgets: see `costUnits`. */
  readonly units: number;
}

export type CostFigure = Exclude<keyof OperationCost, 'units'> | 'units';

const HOUR_MS = 3_600_000;
const GRAIN_MS: Record<Grain, number> = {
  HOUR: HOUR_MS,
  DAY: 24 * HOUR_MS,
  WEEK: 7 * 24 * HOUR_MS,
  MONTH: 28 * 24 * HOUR_MS,
};
/** A raw scan reads every row of the range; a rollup slice reads buckets (measured ~5–50× less). */
export const RAW_SLICE_UNITS = 10;
/** Buckets, groups and KPIs add result rows and aggregates; these many of each cost one unit. */
export const BUCKETS_PER_UNIT = 100;
export const GROUPS_PER_UNIT = 100;
export const KPIS_PER_UNIT = 50;

/** Buckets of a series over a range, counted as the planner counts them. */
export function seriesBuckets(range: KpiRequest['range'], grain: Grain): number {
  return Math.max(0, Math.ceil((range.to.getTime() - range.from.getTime()) / GRAIN_MS[grain]));
}

/**
 * The cost of the requests an operation makes. A series longer than one series may be is an
 * argument error (BAD_USER_INPUT naming `grain`), not a cost: a coarser grain answers it.
 */
export function operationCost(requests: readonly PlannedRequest[], maxSeriesBuckets: number): OperationCost {
  const merged = mergeAsLoader(requests);
  let buckets = 0;
  let groups = 0;
  let kpis = 0;
  let rawSlices = 0;
  for (const { request, values } of merged) {
    const shape = request.shape;
    if (shape.type === 'series') {
      const count = seriesBuckets(request.range, shape.grain);
      if (count > maxSeriesBuckets)
        throw badInput(
          `A ${shape.grain} series over this range has ${count} buckets; at most ${maxSeriesBuckets} are allowed. Use a coarser grain or a shorter range.`,
          { argument: 'grain', grain: shape.grain, buckets: count, limit: maxSeriesBuckets },
        );
      buckets += count;
    }
    if (values > 0) groups += values;
    else if (shape.type === 'breakdown') groups += Math.max(0, shape.top);
    else if (shape.type === 'hourOfDay') groups += 24;
    kpis += request.kpis.length;
    if (!request.ledger && readsRaw(request)) rawSlices += 1;
  }
  const slices = merged.length;
  return {
    slices,
    buckets,
    groups,
    kpis,
    rawSlices,
    units: costUnits({ slices, buckets, groups, kpis, rawSlices }),
  };
}

/** slices + 9 more per raw slice + buckets/100 + groups/100 + KPIs/50, rounded up. */
export function costUnits(cost: Omit<OperationCost, 'units'>): number {
  return Math.ceil(
    cost.slices +
      (RAW_SLICE_UNITS - 1) * cost.rawSlices +
      cost.buckets / BUCKETS_PER_UNIT +
      cost.groups / GROUPS_PER_UNIT +
      cost.kpis / KPIS_PER_UNIT,
  );
}

/** The first figure over its limit, as the error a caller sees; null when the operation may run. */
export function costRefusal(cost: OperationCost, limits: LimitsConfig['cost']): AppError | null {
  const checks: Array<[CostFigure, number]> = [
    ['slices', limits.maxSlices],
    ['rawSlices', limits.maxRawSlices],
    ['buckets', limits.maxBuckets],
    ['groups', limits.maxGroups],
    ['kpis', limits.maxKpis],
    ['units', limits.maxUnits],
  ];
  for (const [figure, limit] of checks) {
    if (cost[figure] > limit)
      return new AppError(
        ErrorCode.COST_LIMIT,
        `The operation asks for ${cost[figure]} ${FIGURE_NAMES[figure]}; one operation may ask for at most ${limit}. Split it, or ask for fewer ranges, buckets or groups.`,
        { details: { figure, value: cost[figure], limit, cost } },
      );
  }
  return null;
}

const FIGURE_NAMES: Record<CostFigure, string> = {
  slices: 'distinct slices (root fields × ranges × report fields)',
  rawSlices: 'slices that must read the raw table',
  buckets: 'series buckets',
  groups: 'breakdown groups',
  kpis: 'KPIs over all slices',
  units: 'cost units',
};

interface MergedQuery {
  readonly request: PlannedRequest;
  /** Values of a merged per-value group (KPI cards per branch), else 0. */
  readonly values: number;
}

/** The loader's merge (see loaders/kpi-loader.ts): same shape → one query; per-value siblings → one grouped query. */
function mergeAsLoader(requests: readonly PlannedRequest[]): MergedQuery[] {
  const siblings = new Map<string, number>();
  for (const request of requests) {
    const pv = request.unmerged ? null : perValueKey(request);
    if (pv) siblings.set(pv.key, (siblings.get(pv.key) ?? 0) + 1);
  }
  const merged = new Map<string, { request: KpiRequest; kpis: Set<string>; values: Set<string> }>();
  for (const [index, request] of requests.entries()) {
    const pv = perValueKey(request);
    const count = pv ? (siblings.get(pv.key) ?? 0) : 0;
    const grouped = pv !== null && count > 1 && count <= MAX_FILTER_VALUES ? pv : null;
    const key = request.unmerged ? `unmerged ${index}` : grouped ? grouped.key : shapeKey(request);
    const entry = merged.get(key) ?? { request, kpis: new Set<string>(), values: new Set<string>() };
    for (const kpi of request.kpis) entry.kpis.add(kpi);
    if (grouped) entry.values.add(grouped.value);
    merged.set(key, entry);
  }
  return [...merged.values()].map(({ request, kpis, values }) => ({
    request: { ...request, kpis: [...kpis] },
    values: values.size,
  }));
}

/**
 * Whether the planner would read the raw table (alone or as the edges of a stitched range),
 * planned without the dataset's size as the document alone allows; a request it would refuse is
 * left to refuse itself.
 */
function readsRaw(request: KpiRequest): boolean {
  try {
    const kind = kpiKind(request.kind);
    const ids = new Set(request.kpis);
    if (request.shape.type === 'breakdown') ids.add(request.shape.orderBy);
    const measures = new Set<string>();
    for (const id of ids) {
      const kpi = kind.kpis.get(id);
      if (!kpi) continue;
      // Derived measures (registered voters) come from the registry join, not from the fact table.
      for (const measure of measuresOf(kind, kpi)) if (kind.measures.has(measure)) measures.add(measure);
    }
    const filters = Object.fromEntries(
      Object.entries(request.filters).filter(([dimension]) => kind.dimensions.includes(dimension)),
    );
    const pieces = planPieces({ ...request, filters }, kind, [...measures].sort(), {
      database: '',
      hiddenUploads: [],
    });
    return pieces.some((piece) => piece.source === 'raw');
  } catch {
    return false;
  }
}
