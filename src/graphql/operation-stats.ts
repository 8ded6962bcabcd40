import type { DatasetState } from '../datasets/dataset-directory';
import type { KpiAnswer } from '../kpi/kpi-service';

/**
 * What one GraphQL operation read, returned in `extensions.kpi`: which data versions, how fresh,
 * whether the cache answered, and what ClickHouse scanned.
 */
export class OperationStats {
  private queries = 0;
  private cacheHits = 0;
  private cacheMisses = 0;
  private rowsRead = 0;
  private bytesRead = 0;
  private elapsedMs = 0;
  private readonly sources: string[][] = [];
  private readonly datasets = new Map<string, { dataVersion: number; lastIngestAt: string | null }>();

  record(
    dataset: DatasetState,
    result: Pick<KpiAnswer, 'cacheHit' | 'statistics'> & { readonly sources?: KpiAnswer['sources'] },
  ): void {
    if (result.sources) this.sources.push([...result.sources]);
    this.datasets.set(dataset.name, {
      dataVersion: dataset.dataVersion,
      lastIngestAt: dataset.lastIngestAt?.toISOString() ?? null,
    });
    if (result.cacheHit) this.cacheHits += 1;
    else this.cacheMisses += 1;
    if (result.statistics) {
      this.queries += 1;
      this.rowsRead += result.statistics.rowsRead;
      this.bytesRead += result.statistics.bytesRead;
      this.elapsedMs += result.statistics.elapsedMs;
    }
  }

  toJSON(): Record<string, unknown> {
    return {
      datasets: Object.fromEntries(this.datasets),
      cache: { hits: this.cacheHits, misses: this.cacheMisses },
      clickhouse: {
        queries: this.queries,
        rowsRead: this.rowsRead,
        bytesRead: this.bytesRead,
        elapsedMs: Math.round(this.elapsedMs * 1000) / 1000,
        // Per KPI statement, the tables it read: one, or a stitched range's pieces coarsest first.
        sources: this.sources,
      },
    };
  }

  get isEmpty(): boolean {
    return this.datasets.size === 0;
  }
}
