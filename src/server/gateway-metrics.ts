import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Upload, UploadStatus } from '../datasets/upload';
import type { KpiRunObserver } from '../kpi/kpi-service';
import type { Warehouse } from '../warehouse/warehouse';

export interface LoadFigures {
  readonly running: number;
  readonly waiting: number;
  readonly refused: number;
}

/** Operation names are chosen by clients: past this many distinct ones, the rest count as `other`. */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** An upload counts once, when it reaches one of these (REPLACED is a later change of a LOADED one). */
const OUTCOMES: ReadonlySet<UploadStatus> = new Set(['LOADED', 'REJECTED', 'FAILED', 'DUPLICATE']);
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LOAD_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * The gateway's Prometheus metrics (prom-client), one registry per gateway so that several in one
 * process (tests) never share series. The parts feed it through hooks: the warehouse's statement
 * listener, the KPI service's observer (planner source, cache layer `kpi`, ClickHouse time and
 * rows), the response cache (layer `response`), an Apollo plugin (latency by operation name) and
 * the upload recorder (outcome, bytes, rows, load time). Process memory, CPU, event-loop lag and
 * GC come from prom-client's default metrics.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  private readonly operationSeconds: Histogram<'operation'>;
  private readonly kpiSeconds: Histogram<'source'>;
  private readonly kpiRows: Counter<'source'>;
  private readonly cacheLookups: Counter<'layer' | 'result'>;
  private readonly uploads: Counter<'outcome'>;
  private readonly uploadBytes: Counter<'outcome'>;
  private readonly uploadRows: Counter;
  private readonly uploadSeconds: Histogram<'outcome'>;

  constructor(warehouse: Warehouse, load: () => LoadFigures) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const queries = new Counter({
      name: 'kpi_gateway_clickhouse_queries_total',
      help: 'Statements that read (SELECT) sent to ClickHouse',
      registers,
    });
    const commands = new Counter({
      name: 'kpi_gateway_clickhouse_commands_total',
      help: 'Statements that write or change schema sent to ClickHouse',
      registers,
    });
    warehouse.onQuery((event) => (event.kind === 'query' ? queries : commands).inc());
    gauge(
      registers,
      'kpi_gateway_operations_running',
      'GraphQL operations admitted and running',
      () => load().running,
    );
    gauge(
      registers,
      'kpi_gateway_operations_waiting',
      'GraphQL operations queued at the admission gate',
      () => load().waiting,
    );
    new Counter({
      name: 'kpi_gateway_operations_refused_total',
      help: 'GraphQL operations refused by the admission gate (OVERLOADED)',
      registers,
      collect() {
        this.reset();
        this.inc(load().refused);
      },
    });
    gauge(
      registers,
      'kpi_gateway_warehouse_statements_waiting',
      'Statements queued for a ClickHouse session or socket (the pool queue depth)',
      () => warehouse.waiting,
    );
    gauge(
      registers,
      'kpi_gateway_resident_memory_bytes',
      'Resident set size',
      () => process.memoryUsage().rss,
    );
    gauge(registers, 'kpi_gateway_heap_used_bytes', 'V8 heap in use', () => process.memoryUsage().heapUsed);
    this.operationSeconds = new Histogram({
      name: 'kpi_gateway_graphql_operation_duration_seconds',
      help: 'GraphQL operations executed, from parsing to the response, by operation name',
      labelNames: ['operation'],
      buckets: SECONDS,
      registers,
    });
    this.kpiSeconds = new Histogram({
      name: 'kpi_gateway_kpi_clickhouse_duration_seconds',
      help: 'ClickHouse time of KPI statements, by the planner source (raw table or rollup grain)',
      labelNames: ['source'],
      buckets: SECONDS,
      registers,
    });
    this.kpiRows = new Counter({
      name: 'kpi_gateway_kpi_clickhouse_rows_read_total',
      help: 'Rows ClickHouse read for KPI statements, by the planner source',
      labelNames: ['source'],
      registers,
    });
    this.cacheLookups = new Counter({
      name: 'kpi_gateway_cache_lookups_total',
      help: 'Cache lookups by layer (response: whole answers; kpi: one statement) and result (hit, miss)',
      labelNames: ['layer', 'result'],
      registers,
    });
    this.uploads = new Counter({
      name: 'kpi_gateway_uploads_total',
      help: 'Uploads finished, by outcome (LOADED, REJECTED, FAILED, DUPLICATE)',
      labelNames: ['outcome'],
      registers,
    });
    this.uploadBytes = new Counter({
      name: 'kpi_gateway_upload_bytes_total',
      help: 'Bytes of finished uploads, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.uploadRows = new Counter({
      name: 'kpi_gateway_upload_rows_loaded_total',
      help: 'Rows loaded by uploads',
      registers,
    });
    this.uploadSeconds = new Histogram({
      name: 'kpi_gateway_upload_load_duration_seconds',
      help: 'Time from the start of a load to its outcome (validation, insert, counts), by outcome',
      labelNames: ['outcome'],
      buckets: LOAD_SECONDS,
      registers,
    });
  }

  /** For `new KpiService(…, observer)`. */
  readonly kpiRun: KpiRunObserver = ({ source, cacheHit, statistics }) => {
    this.cacheLookups.inc({ layer: 'kpi', result: cacheHit ? 'hit' : 'miss' });
    if (!statistics) return;
    this.kpiSeconds.observe({ source }, statistics.elapsedMs / 1000);
    this.kpiRows.inc({ source }, statistics.rowsRead);
  };

  /** For the response cache (metered-response-cache.ts). */
  responseLookup(hit: boolean): void {
    this.cacheLookups.inc({ layer: 'response', result: hit ? 'hit' : 'miss' });
  }

  /** For `IngestService`'s `onUploadStored`. */
  readonly uploadStored = (upload: Upload): void => {
    if (!OUTCOMES.has(upload.status)) return;
    const outcome = upload.status;
    this.uploads.inc({ outcome });
    this.uploadBytes.inc({ outcome }, upload.bytes);
    if (outcome === 'LOADED') this.uploadRows.inc(upload.rowsLoaded);
    if (outcome !== 'DUPLICATE') this.uploadSeconds.observe({ outcome }, upload.loadMs / 1000);
  };

  /** Latency of every executed GraphQL operation (whole answers from the response cache excepted). */
  plugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => {
        const started = process.hrtime.bigint();
        return {
          willSendResponse: async ({ operationName }) => {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            this.operationSeconds.observe({ operation: this.operationLabel(operationName) }, seconds);
          },
        };
      },
    };
  }

  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }
}

function gauge(registers: Registry[], name: string, help: string, value: () => number): void {
  new Gauge({
    name,
    help,
    registers,
    collect() {
      this.set(value());
    },
  });
}
