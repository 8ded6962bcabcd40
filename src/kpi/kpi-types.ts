/** Shared vocabulary of the KPI layer: units, unavailability reasons, request shapes, results. */
export type KpiUnit = 'MONEY' | 'COUNT' | 'QUANTITY' | 'RATIO' | 'MONEY_PER_TRANSACTION';

export type UnavailableReason = 'MISSING_COLUMN' | 'PARTIAL_COVERAGE' | 'NO_DATA' | 'NO_PRIOR_PERIOD' | 'ZERO_DENOMINATOR';

/** Which earlier window a KPI is compared with. */
export type Comparison = 'PREVIOUS_PERIOD' | 'PREVIOUS_YEAR';

export type Grain = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';
export type SortDirection = 'ASC' | 'DESC';

/** A measure is one aggregate, written once per table that can compute it. */
export interface MeasureDef {
  readonly id: string;
  /** SQL over the hourly rollup's columns; null when only the raw table can answer. */
  readonly rollup: string | null;
  readonly raw: string;
}

export interface KpiDef {
  /** Field name in the API and key in the registry, e.g. `netSales`. */
  readonly id: string;
  /** Enum value for ordering/catalog, e.g. `NET_SALES`. */
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
}

export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

export type QueryShape =
  | { readonly type: 'totals' }
  | { readonly type: 'series'; readonly grain: Grain }
  | { readonly type: 'breakdown'; readonly by: string; readonly top: number; readonly orderBy: string; readonly direction: SortDirection };

export interface KpiRequest {
  readonly kind: 'sales';
  readonly dataset: string;
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
  readonly kpis: Readonly<Record<string, KpiValue>>;
}
