import { SpanKind, type SpanOptions } from '../telemetry/spans';
import type { SqlFragment } from './sql';

const TABLE =
  /\b(?:FROM|JOIN|INTO|TABLE|VIEW)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?:`?[A-Za-z_]\w*`?\.)?`?([A-Za-z_]\w*)`?/gi;
const MAX_TABLES = 8;
/** A table named after an upload id (a load's staging table) ends in a UUID with `_` for `-`. */
const UPLOAD_SUFFIX = /_[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}$/i;

/** Span names stay few: `upload_stage_<uuid>` is named `upload_stage_*` (the id is on the load's span). */
function perUploadName(table: string): string {
  return table.replace(UPLOAD_SUFFIX, '_*');
}

/**
 * A ClickHouse statement's span: `SELECT sales_d1`, with every table it reads or writes (for a
 * KPI query, the planner's choice of rollup, or `sales_raw`; for a load, `s3` and the raw table).
 * Only the statement's own text is read, before any value is bound, and none of it is recorded:
 * neither bound values nor (for a load's `s3()`) credentials reach a span.
 */
export function statementSpan(
  fragment: SqlFragment,
  warehouse: { readonly database: string; readonly mode: string },
): [string, SpanOptions] {
  const operation = /^\s*(\w+)/.exec(fragment.query)?.[1]?.toUpperCase() ?? 'STATEMENT';
  const tables = [...new Set([...fragment.query.matchAll(TABLE)].map((m) => perUploadName(m[1] ?? '')))]
    .filter((name) => name !== '')
    .slice(0, MAX_TABLES);
  return [
    tables[0] ? `${operation} ${tables[0]}` : operation,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'clickhouse',
        'db.namespace': warehouse.database,
        'db.operation.name': operation,
        ...(tables[0] ? { 'db.collection.name': tables[0] } : {}),
        'kpi.clickhouse.tables': tables,
        'kpi.clickhouse.transport': warehouse.mode,
      },
    },
  ];
}
