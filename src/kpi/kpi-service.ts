import type { KpiCache } from '../cache/kpi-cache';
import type { DatasetCatalog, DatasetState } from '../datasets/dataset-catalog';
import { AppError, ErrorCode } from '../errors/app-error';
import type { QueryStatistics, Warehouse } from '../warehouse/warehouse';
import { toKpiRow } from './kpi-evaluator';
import { compileKpiQuery } from './kpi-planner';
import { REGISTRY_VERSION } from './kpi-registry';
import type { KpiRequest, KpiRow } from './kpi-types';

export interface KpiAnswer {
  readonly rows: KpiRow[];
  readonly cacheHit: boolean;
  readonly source: 'rollup' | 'raw';
  readonly statistics: QueryStatistics | null;
  readonly dataVersion: number;
}

interface CachedResult {
  readonly rows: Record<string, unknown>[];
  readonly statistics: QueryStatistics;
}

/** Runs KPI requests: dataset checks, planning, cache, warehouse, evaluation. */
export class KpiService {
  constructor(
    private readonly warehouse: Warehouse,
    private readonly catalog: DatasetCatalog,
    private readonly cache: KpiCache,
  ) {}

  dataset(name: string, kind: KpiRequest['kind']): DatasetState {
    const dataset = this.catalog.get(name);
    if (!dataset) throw new AppError(ErrorCode.DATASET_NOT_FOUND, `No dataset named ${name}`, { details: { dataset: name } });
    if (dataset.kind !== kind) {
      throw new AppError(ErrorCode.DATASET_KIND_MISMATCH, `Dataset ${name} holds ${dataset.kind} data, not ${kind}`, { details: { dataset: name, kind: dataset.kind } });
    }
    return dataset;
  }

  async answer(request: KpiRequest): Promise<KpiAnswer> {
    const dataset = this.dataset(request.dataset, request.kind);
    const compiled = compileKpiQuery(request, { database: this.warehouse.database, hiddenUploads: [...dataset.hiddenUploads] });
    const { value, hit } = await this.cache.getOrCompute<CachedResult>(
      { ...compiled.fragment, registryVersion: REGISTRY_VERSION, dataVersion: dataset.dataVersion },
      async () => {
        const result = await this.warehouse.query<Record<string, unknown>>(compiled.fragment);
        return { rows: result.rows, statistics: result.statistics };
      },
    );
    return {
      rows: value.rows.map((row) => toKpiRow(row, compiled, dataset)),
      cacheHit: hit,
      source: compiled.source,
      statistics: hit ? null : value.statistics,
      dataVersion: dataset.dataVersion,
    };
  }
}
