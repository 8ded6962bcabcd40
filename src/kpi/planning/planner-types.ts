import type { RollupGrain } from '../../datasets/dataset-kinds';
import type { SqlFragment } from '../../warehouse/sql';
import type { KpiDef, KpiKind } from '../kpi-types';

/** The table a query reads: a rollup level (by its grain) or the raw table. */
export type QuerySource = RollupGrain | 'raw';

export interface CompiledQuery {
  readonly kind: KpiKind;
  /** The statement, compiled once from the `sql` template: text with placeholders, bound values. */
  readonly fragment: SqlFragment;
  /** The table read; for a range stitched from pieces, the first (coarsest) piece's. */
  readonly source: QuerySource;
  /** Every table a stitched range reads, coarsest first (absent: `source` alone). */
  readonly sources?: readonly QuerySource[];
  readonly measures: readonly string[];
  readonly kpis: readonly KpiDef[];
  /** Optional columns the statement treated as carried by every row (their coverage is not counted). */
  readonly completeColumns: ReadonlySet<string>;
}

/**
 * What the size rule knows of a dataset (planning/size-rule.ts): its visible rows, the time span
 * they cover and, per column with exact distinct states, how many distinct values its busiest
 * bucket of `distinctBucketMs` holds (a day).
 */
export interface DatasetSize {
  readonly rows: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly distinctBucketMs: number;
  readonly distinct: Readonly<Record<string, number>>;
}

export interface PlannerContext {
  readonly database: string;
  /** Uploads whose rows may be in the tables but must not be read yet (loading). */
  readonly hiddenUploads: readonly string[];
  /**
   * Hidden uploads of the other datasets the answer reads (a turnout report's constituency
   * registry), by dataset name: the replace rule must not pick an upload still loading.
   */
  readonly companionHiddenUploads?: Readonly<Record<string, readonly string[]>>;
  /**
   * Force a table (parity tests, benchmarks); the raw table can answer everything, a rollup only
   * what it answers exactly (else an error).
   */
  readonly source?: QuerySource;
  /** Only what eligibility needs (row counts, denominators), no KPI values: what the KPI catalog asks. */
  readonly supportOnly?: boolean;
  /**
   * Optional columns every row the query can read carries (every visible upload has them in
   * full, from its load's counts): their coverage is known without counting.
   */
  readonly completeColumns?: readonly string[];
  /**
   * The dataset's size, for the size rule (the cheapest exact plan by estimated rows read). Absent:
   * the coarsest single table that answers, and ranges of ≥ 2 days stitched (a time proxy).
   */
  readonly size?: DatasetSize;
}
