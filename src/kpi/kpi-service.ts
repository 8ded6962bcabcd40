import type { KpiCache } from '../cache/kpi-cache';
import type { DatasetDirectory, DatasetState } from '../datasets/dataset-directory';
import { AppError, ErrorCode } from '../errors/app-error';
import type { QueryStatistics, Warehouse } from '../warehouse/warehouse';
import { kpiCatalogVersion, kpiKind } from './definitions/kpi-kinds';
import { noDataRow, toKpiRow, unavailability } from './evaluation/kpi-evaluator';
import type { KpiRequest, KpiRow, KpiUnavailable } from './kpi-types';
import type { KpiKindDefinition } from './definitions/kind-definition';
import { datasetSizeOf, datasetSizeStatement } from './planning/dataset-size';
import type { CompiledQuery, DatasetSize, PlannerContext, QuerySource } from './planning/planner-types';

export interface KpiAnswer {
  readonly rows: KpiRow[];
  readonly cacheHit: boolean;
  readonly source: QuerySource;
  /** Every table the statement read: one, or the pieces of a stitched range, coarsest first. */
  readonly sources: readonly QuerySource[];
  readonly statistics: QueryStatistics | null;
  readonly dataVersion: number;
}

interface CachedResult {
  readonly rows: Record<string, unknown>[];
  readonly statistics: QueryStatistics;
}

/** One KPI statement answered (from the cache or ClickHouse), for metrics. */
export type KpiRunObserver = (event: {
  readonly source: QuerySource;
  readonly cacheHit: boolean;
  readonly statistics: QueryStatistics | null;
}) => void;

export interface KpiServiceOptions {
  readonly observe?: KpiRunObserver;
  /**
   * Plan by the size rule (planning/size-rule.ts): the dataset's rows, span and distinct counts,
   * read once per data version, pick the cheapest exact plan. Default on; tests that pin which
   * level answers tiny datasets turn it off (then the coarsest level answers, as on big data).
   */
  readonly sizeRule?: boolean;
}

/** Datasets whose size the service keeps (one entry per data version seen; old ones give way). */
const SIZE_MEMO_ENTRIES = 1000;

/** Compiled statements kept for repeated requests: a dashboard asks the same few questions over and over. */
const COMPILED_MEMO_ENTRIES = 1000;

/** Runs KPI requests: dataset checks, planning, cache, warehouse, evaluation. */
export class KpiService {
  private readonly compiledMemo = new Map<string, CompiledQuery>();
  private readonly sizeMemo = new Map<string, Promise<DatasetSize | null>>();
  private readonly observe?: KpiRunObserver;
  private readonly sizeRule: boolean;

  constructor(
    private readonly warehouse: Warehouse,
    private readonly datasets: DatasetDirectory,
    private readonly cache: KpiCache,
    options: KpiServiceOptions = {},
  ) {
    this.observe = options.observe;
    this.sizeRule = options.sizeRule ?? true;
  }

  dataset(name: string, kind: string): DatasetState {
    const dataset = this.datasets.get(name);
    if (!dataset)
      throw new AppError(ErrorCode.DATASET_NOT_FOUND, `No dataset named ${name}`, {
        details: { dataset: name },
      });
    if (dataset.kind !== kind) {
      throw new AppError(
        ErrorCode.DATASET_KIND_MISMATCH,
        `Dataset ${name} holds ${dataset.kind} data, not ${kind}`,
        { details: { dataset: name, kind: dataset.kind } },
      );
    }
    return dataset;
  }

  async answer(request: KpiRequest): Promise<KpiAnswer> {
    const dataset = this.dataset(request.dataset, request.kind);
    const { compiled, rows, cacheHit, statistics } = await this.run(request, dataset, false);
    return {
      rows: rows.map((row) => toKpiRow(row, compiled, dataset)),
      cacheHit,
      source: compiled.source,
      sources: compiled.sources ?? [compiled.source],
      statistics,
      dataVersion: dataset.dataVersion,
    };
  }

  /**
   * Totals of the same request for each value of one dimension (KPI cards per branch), from one
   * grouped query: a breakdown filtered to those values. A value without rows gets NO_DATA.
   */
  async answerEach(
    request: KpiRequest,
    dimension: string,
    values: readonly string[],
  ): Promise<{ answers: Map<string, KpiAnswer>; grouped: KpiAnswer }> {
    const unique = [...new Set(values)].sort();
    // Every group is returned (top = the number of values), so the ranking KPI only has to exist.
    const orderBy = request.kpis[0] ?? kpiKind(request.kind).kpis.keys().next().value ?? '';
    const grouped = await this.answer({
      ...request,
      filters: { ...request.filters, [dimension]: unique },
      shape: {
        type: 'breakdown',
        by: dimension,
        top: unique.length,
        orderBy,
        direction: 'DESC',
      },
    });
    const byKey = new Map(grouped.rows.map((row) => [row.key, row]));
    const empty = noDataRow(request.kpis);
    const answers = new Map(
      unique.map((value) => [value, { ...grouped, rows: [omitKey(byKey.get(value) ?? empty)] }]),
    );
    return { answers, grouped };
  }

  /** Per KPI of the request: null when the slice supports it, else why not. Reads row counts only. */
  async support(
    request: KpiRequest,
  ): Promise<{ reasons: Map<string, KpiUnavailable | null>; answer: Omit<KpiAnswer, 'rows'> }> {
    const dataset = this.dataset(request.dataset, request.kind);
    const { compiled, rows, cacheHit, statistics } = await this.run(request, dataset, true);
    const reasons = new Map(
      compiled.kpis.map((kpi) => [kpi.id, unavailability(kpi, rows[0] ?? {}, compiled, dataset)]),
    );
    return {
      reasons,
      answer: {
        cacheHit,
        source: compiled.source,
        sources: compiled.sources ?? [compiled.source],
        statistics,
        dataVersion: dataset.dataVersion,
      },
    };
  }

  private async run(request: KpiRequest, dataset: DatasetState, supportOnly: boolean) {
    const kind = kpiKind(request.kind);
    // Another dataset the answer reads (the constituency registry) changes it with its uploads:
    // its hidden uploads go to the planner and its version into the cache key.
    const companions = kind.companions(request).map((c) => this.dataset(c.name, c.kind));
    const size = this.sizeRule && !supportOnly ? await this.sizeOf(kind, dataset) : null;
    const context: PlannerContext = {
      database: this.warehouse.database,
      ...(size && { size }),
      hiddenUploads: [...dataset.hiddenUploads],
      completeColumns: [...dataset.completeColumns].sort(),
      supportOnly,
      ...(companions.length > 0 && {
        companionHiddenUploads: Object.fromEntries(companions.map((c) => [c.name, [...c.hiddenUploads]])),
      }),
    };
    // What readers see, named by upload ids (a data version counter may repeat after a restart),
    // of every dataset the answer reads.
    const dataVersion = [dataset, ...companions].map((d) => d.stateKey).join(':');
    const compiled = this.compiled(JSON.stringify([request, context]), () =>
      kind.planner(request, context, kind),
    );
    const { value, hit } = await this.cache.getOrCompute<CachedResult>(
      { ...compiled.fragment, catalogVersion: kpiCatalogVersion(), dataVersion },
      async () => {
        const result = await this.warehouse.query<Record<string, unknown>>(compiled.fragment, {
          bounded: true,
        });
        return { rows: result.rows, statistics: result.statistics };
      },
    );
    const statistics = hit ? null : value.statistics;
    this.observe?.({ source: compiled.source, cacheHit: hit, statistics });
    return { compiled, rows: value.rows, cacheHit: hit, statistics };
  }

  /**
   * The dataset's size for the size rule, read once per data version (what readers see): one
   * small statement over the daily state level. A failed read is not kept (the next request asks
   * again) and fails the request like any warehouse error.
   */
  private sizeOf(kind: KpiKindDefinition, dataset: DatasetState): Promise<DatasetSize | null> {
    const key = `${dataset.name}\u0000${dataset.stateKey}`;
    const found = this.sizeMemo.get(key);
    if (found) return found;
    const statement = datasetSizeStatement(kind, this.warehouse.database, dataset);
    const pending = statement
      ? this.warehouse
          .query<Record<string, unknown>>(statement, { bounded: true })
          .then((result) => datasetSizeOf(kind, result.rows[0], dataset.rows))
      : Promise.resolve(null);
    pending.catch(() => this.sizeMemo.delete(key));
    const oldest = this.sizeMemo.keys().next();
    if (this.sizeMemo.size >= SIZE_MEMO_ENTRIES && !oldest.done) this.sizeMemo.delete(oldest.value);
    this.sizeMemo.set(key, pending);
    return pending;
  }

  /**
   * Planning is a pure function of the request and its context (hidden uploads included), so a
   * repeated request reuses its statement. A request that fails validation is never kept.
   */
  private compiled(key: string, compile: () => CompiledQuery): CompiledQuery {
    const found = this.compiledMemo.get(key);
    if (found) return found;
    const compiled = compile();
    const oldest = this.compiledMemo.keys().next();
    if (this.compiledMemo.size >= COMPILED_MEMO_ENTRIES && !oldest.done)
      this.compiledMemo.delete(oldest.value);
    this.compiledMemo.set(key, compiled);
    return compiled;
  }
}

/** A group row as a totals row. */
function omitKey(row: KpiRow): KpiRow {
  const { key: _key, ...rest } = row;
  return rest;
}
