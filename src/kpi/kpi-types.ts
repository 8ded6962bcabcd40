import type { RollupLevel } from '../datasets/dataset-kinds';

/**
 * Shared vocabulary of the KPI layer: units, unavailability reasons, request shapes, results.
 * Each closed set of names is declared once here, as a const array; its type is derived from it,
 * and the GraphQL layer registers its enum from the same array (src/graphql/types/enums.ts).
 */
export const KPI_UNITS = [
  'MONEY',
  'COUNT',
  'QUANTITY',
  'RATIO',
  'MONEY_PER_TRANSACTION',
  'PER_HOUR',
  'PERCENT',
] as const;
export type KpiUnit = (typeof KPI_UNITS)[number];

export const UNAVAILABLE_REASONS = [
  'MISSING_COLUMN',
  'PARTIAL_COVERAGE',
  'NO_DATA',
  'NO_PRIOR_PERIOD',
  'ZERO_DENOMINATOR',
  'MISSING_REGISTRY',
] as const;
export type UnavailableReason = (typeof UNAVAILABLE_REASONS)[number];

/** Which earlier window a KPI is compared with. */
export const COMPARISONS = ['PREVIOUS_PERIOD', 'PREVIOUS_YEAR'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const GRAINS = ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type Grain = (typeof GRAINS)[number];

export const SORT_DIRECTIONS = ['ASC', 'DESC'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/** A measure is one aggregate, written once per table that can compute it. */
export interface MeasureDef {
  readonly id: string;
  /**
   * SQL over a rollup level's columns; null where the level cannot answer it (only the raw table
   * can). A string is the same on every level of the kind; a function tells the levels apart
   * (a dimension in one level's key is a row count column in another's).
   */
  readonly rollup: string | null | ((level: RollupLevel) => string | null);
  readonly raw: string;
  /**
   * How partial answers of pieces of a range combine (planning/range-stitching.ts): `sum` adds
   * them up; `distinctOf` carries exact distinct sets of a column as states. Absent: a request
   * reading it is never stitched.
   */
  readonly partial?: 'sum' | { readonly distinctOf: string };
}

export interface KpiDef {
  /** Field name in the API and key in its kind's KPIs, e.g. `netSales`. */
  readonly id: string;
  /** Enum value for ordering and in the KPI catalog, e.g. `NET_SALES`. */
  readonly enumValue: string;
  readonly description: string;
  readonly unit: KpiUnit;
  /** The formula as a person reads it. */
  readonly formula: string;
  /** Columns every row of the slice must carry for the KPI to resolve. */
  readonly needs: readonly string[];
  /** SQL over measures, written as `{measureId}` placeholders. */
  readonly expression: string;
  /** Measure that must be non-zero (ratios). */
  readonly denominator?: string;
  /**
   * Reads the constituency registry (registered voters): unavailable unless it holds every
   * constituency whose rows the value uses: those of the slice (`slice`), or those from the first
   * row up to the slice's end (`upToEnd`, for cumulative values).
   */
  readonly registryScope?: 'slice' | 'upToEnd';
}

export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

export type QueryShape =
  | { readonly type: 'totals' }
  | { readonly type: 'series'; readonly grain: Grain }
  | {
      readonly type: 'breakdown';
      readonly by: string;
      readonly top: number;
      readonly orderBy: string;
      readonly direction: SortDirection;
    }
  /** One group per local hour of day (0–23) over the whole range. */
  | { readonly type: 'hourOfDay' };

/**
 * The name of a KPI kind: a dataset kind with KPIs of its own, registered in the table of
 * definitions/kpi-kinds.ts. The built-in ones are `sales` and `turnout` (the constituency
 * registry has none).
 */
export type KpiKind = string;

/** Turnout requests are about one election, with an optional constituency registry dataset. */
export interface ElectionScope {
  readonly electionId: string;
  /** The constituency registry dataset giving registered voters and regions, if any. */
  readonly registry: string | null;
}

export interface KpiRequest {
  readonly kind: KpiKind;
  readonly dataset: string;
  /** Required for turnout, absent for sales. */
  readonly election?: ElectionScope;
  readonly range: TimeRange;
  readonly timeZone: string;
  /** Dimension column → accepted values. */
  readonly filters: Readonly<Record<string, readonly string[]>>;
  readonly kpis: readonly string[];
  readonly shape: QueryShape;
}

export interface KpiUnavailable {
  readonly reason: UnavailableReason;
  readonly missingColumns: readonly string[];
  readonly coverage: number | null;
  readonly message: string;
  /** For MISSING_REGISTRY: the first constituencies (sorted, at most 20) without a registry row. */
  readonly missingKeys: readonly string[];
}

export interface KpiValue {
  readonly value: number | null;
  readonly unavailable: KpiUnavailable | null;
  /** Set when a comparison was asked for. */
  readonly comparison?: KpiComparison;
  /** In breakdowns: the group's value as a fraction of the slice total (additive KPIs only). */
  readonly share?: number | null;
}

export interface KpiComparison {
  readonly previous: number | null;
  readonly change: number | null;
  readonly changePercent: number | null;
  /** Why `previous` (or `changePercent`) is null. */
  readonly unavailable: KpiUnavailable | null;
}

/** One result row: a group (totals, a bucket or a breakdown group) with its KPI values. */
export interface KpiRow {
  readonly bucketStart?: Date;
  readonly bucketEnd?: Date;
  readonly key?: string | null;
  /** Local hour of day (0–23), for the hourOfDay shape. */
  readonly hourOfDay?: number;
  /** Constituency registry checks of the slice, when a KPI reading the registry was asked for. */
  readonly registry?: RegistryCheck;
  readonly kpis: Readonly<Record<string, KpiValue>>;
}

/**
 * How the constituency registry matches a slice, up to the slice's end: who is missing from it,
 * who has more votes than voters.
 */
export interface RegistryCheck {
  readonly registeredVoters: number;
  readonly missingCount: number;
  readonly missing: readonly string[];
  readonly overRegisteredCount: number;
  readonly overRegistered: readonly string[];
}
