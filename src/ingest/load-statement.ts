import type { ClickHouseSettings } from '@clickhouse/client';
import type { ColumnDef, DatasetKindDef } from '../datasets/dataset-kinds';
import { assertIdentifier, SqlParams, type SqlFragment } from '../warehouse/sql';
import type { HeaderMapping } from './header-mapping';

/**
 * How a CSV cell (read as text) becomes a typed value. Values are read as text and converted
 * here rather than by the input format, so that an empty quoted cell is NULL (not 0) and a
 * malformed number fails the load instead of becoming a default.
 */
function convert(column: ColumnDef, cell: string): string {
  const text = column.required ? `ifNull(${cell}, '')` : `nullIf(${cell}, '')`;
  switch (column.type) {
    case 'time':
      return `parseDateTimeBestEffort(${text}, 'UTC')`;
    case 'money':
    case 'quantity':
      return strictly(column, text, DECIMAL_PATTERN, `toDecimal64(${text}, 4)`, 'a decimal number with at most 4 decimal places');
    case 'integer':
      return strictly(column, text, INTEGER_PATTERN, `toInt64(${text})`, 'a whole number');
    case 'string':
      return text;
  }
}

/** ClickHouse's own conversions truncate extra decimals silently; a pattern check first makes that an error. */
const DECIMAL_PATTERN = '^-?[0-9]{1,14}(\\\\.[0-9]{1,4})?$';
const INTEGER_PATTERN = '^-?[0-9]{1,18}$';

function strictly(column: ColumnDef, text: string, pattern: string, conversion: string, what: string): string {
  const accepted = column.required ? `match(${text}, '${pattern}')` : `${text} IS NULL OR match(${text}, '${pattern}')`;
  const message = `${column.name} must be ${what}${column.required ? ' and is required' : ''}`;
  return `if(${accepted}, ${conversion}, throwIf(1, '${message}'))`;
}

/** Settings every load runs with: strict about NULLs, positional columns, nothing skipped. */
export const LOAD_SETTINGS: ClickHouseSettings = {
  input_format_with_names_use_header: 0,
  input_format_csv_empty_as_default: 0,
  insert_null_as_default: 0,
  input_format_allow_errors_num: '0',
  input_format_allow_errors_ratio: 0,
  insert_deduplicate: 0,
};

/**
 * `INSERT … SELECT … FROM s3(…)`: ClickHouse pulls the object itself. File columns are addressed
 * by position (`c0`, `c1`, …), so no header text ever reaches the SQL; canonical column names
 * come from the kind's registry.
 */
export function buildLoadStatement(input: {
  database: string;
  kind: DatasetKindDef;
  mapping: HeaderMapping;
  dataset: string;
  uploadId: string;
  source: { url: string; accessKeyId: string; secretAccessKey: string };
}): SqlFragment {
  const p = new SqlParams();
  const structure = input.mapping.fileColumns.map((_, i) => `c${i} Nullable(String)`).join(', ');
  const targets: string[] = ['dataset', 'upload_id'];
  const values: string[] = [p.bind('String', input.dataset), p.bind('String', input.uploadId)];
  input.mapping.fileColumns.forEach(({ column }, i) => {
    if (!column) return;
    targets.push(assertIdentifier(column.name));
    values.push(convert(column, `c${i}`));
  });
  const table = `${assertIdentifier(input.database)}.${assertIdentifier(input.kind.rawTable)}`;
  const from = `s3(${p.bind('String', input.source.url)}, ${p.bind('String', input.source.accessKeyId)}, ${p.bind('String', input.source.secretAccessKey)}, 'CSVWithNames', ${p.bind('String', structure)})`;
  return p.fragment(`INSERT INTO ${table} (${targets.join(', ')})\nSELECT ${values.join(', ')}\nFROM ${from}`);
}
