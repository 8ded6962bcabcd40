import type { ServerResponse } from 'node:http';
import type { Warehouse } from '../warehouse/warehouse';

export interface LoadFigures {
  readonly running: number;
  readonly waiting: number;
  readonly refused: number;
}

/**
 * `GET /metrics` in Prometheus' text format: statements sent to ClickHouse (what a refused
 * operation must not add to), the admission gate, the session queue and the process's memory.
 */
export function createMetricsRoute(warehouse: Warehouse, load: () => LoadFigures) {
  let queries = 0;
  let commands = 0;
  warehouse.onQuery((event) => {
    if (event.kind === 'query') queries += 1;
    else commands += 1;
  });
  return (res: ServerResponse): void => {
    const gate = load();
    const memory = process.memoryUsage();
    const lines = [
      ['kpi_gateway_clickhouse_queries_total', 'counter', queries],
      ['kpi_gateway_clickhouse_commands_total', 'counter', commands],
      ['kpi_gateway_operations_running', 'gauge', gate.running],
      ['kpi_gateway_operations_waiting', 'gauge', gate.waiting],
      ['kpi_gateway_operations_refused_total', 'counter', gate.refused],
      ['kpi_gateway_warehouse_statements_waiting', 'gauge', warehouse.waiting],
      ['kpi_gateway_resident_memory_bytes', 'gauge', memory.rss],
      ['kpi_gateway_heap_used_bytes', 'gauge', memory.heapUsed],
    ].flatMap(([name, type, value]) => [`# TYPE ${name} ${type}`, `${name} ${value}`]);
    const body = `${lines.join('\n')}\n`;
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    res.end(body);
  };
}
