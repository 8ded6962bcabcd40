import type { ClickHouseSettings } from '@clickhouse/client';
import type { ColumnDef } from '../datasets/dataset-kinds';
import { emptySql, joinSql, sql, trustedIdentifier, trustedSql, type Sql } from '../warehouse/sql';
import type { HeaderMapping } from './header-mapping';

/**
 * The one definition of what a valid row is. The validation pass (row-level errors) and the load
 * (strict guard or tolerant filter) are both compiled from the expressions here, over the same
 * ClickHouse CSV reader with the same settings, so what validation accepts is exactly what loads.
 *
 * Every file field is read as Nullable(String), by position (`c0`, `c1`, …), plus one extra field
 * `cN`: with a variable number of columns allowed, a missing field is NULL (an empty one is '')
 * and a present `cN` means the record has too many fields.
 */

/** A field that is absent becomes NULL only through this spelling, which no export writes. */
const ABSENT = '<kpi-gateway:absent-field>';

export const CSV_SETTINGS: ClickHouseSettings = {
  input_format_with_names_use_header: 0,
  input_format_csv_allow_variable_number_of_columns: 1,
  format_csv_null_representation: ABSENT,
  input_format_csv_empty_as_default: 0,
  // Old Mac exports end lines with a bare CR; without this the reader glues lines together.
  input_format_csv_allow_cr_end_of_line: 1,
  // A trailing blank line is an export habit, not a record; a blank line inside the file is an error.
  input_format_csv_skip_trailing_empty_lines: 1,
  insert_null_as_default: 0,
  input_format_allow_errors_num: '0',
  input_format_allow_errors_ratio: 0,
};

/**
 * ClickHouse's own conversions truncate extra decimals silently; a pattern check first makes that
 * an error. The patterns are bound as values like everything else that is not SQL.
 */
const DECIMAL_PATTERN = String.raw`^-?[0-9]{1,14}(\.[0-9]{1,4})?$`;
const INTEGER_PATTERN = String.raw`^-?[0-9]{1,18}$`;
/** parseDateTimeBestEffort also takes '1' (a year) and clamps out-of-range years: only ISO-like text gets that far. */
const TIME_PATTERN = String.raw`^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$`;

export const REASONS = {
  emptyLine: 'the line is empty',
  tooMany: 'has more fields than the header',
  notUtf8: 'is not valid UTF-8',
  nul: 'contains a NUL character',
  required: 'is required but empty',
  notTime: 'is not a date-time (ISO 8601 or YYYY-MM-DD hh:mm:ss, optional offset)',
  badDate: 'is not a valid calendar date-time',
  timeRange: 'is outside 1970-01-01 00:00:00 … 2106-02-07 06:28:15 UTC',
  notDecimal: 'is not a decimal number with at most 4 decimal places (no thousands separators)',
  notInteger: 'is not a whole number',
  negative: 'must not be negative',
} as const;

/** The shape of one file: how many header fields, and which of them map to which column. */
export interface CsvLayout {
  readonly mapping: HeaderMapping;
}

const fieldCount = (layout: CsvLayout) => layout.mapping.fileColumns.length;

/** The file's field at a position, as the reader names it (`c0`, `c1`, …). */
const field = (index: number): Sql => trustedIdentifier(`c${index}`);

/** `c0 Nullable(String), …, cN Nullable(String)`: one more field than the header has. */
export function csvStructure(layout: CsvLayout): string {
  return Array.from({ length: fieldCount(layout) + 1 }, (_, i) => `c${i} Nullable(String)`).join(', ');
}

/** '' when the record has as many fields as the header, otherwise why not. */
function recordProblem(layout: CsvLayout): Sql {
  const n = fieldCount(layout);
  const absent = joinSql(Array.from({ length: n }, (_, i) => sql`${field(i)} IS NULL`));
  const shape = `; the header has ${n}`;
  return sql`multiIf(c0 IS NULL, ${REASONS.emptyLine}, ${field(n - 1)} IS NULL, concat('has ', toString(indexOf([${absent}], 1) - 1), ' fields', ${shape}), ${field(n)} IS NOT NULL, ${REASONS.tooMany}, '')`;
}

const parsedTime = (text: Sql): Sql => sql`parseDateTime64BestEffortOrNull(${text}, 3, 'UTC')`;
const TIME_RANGE = sql`BETWEEN toDateTime64('1970-01-01 00:00:00', 3, 'UTC') AND toDateTime64('2106-02-07 06:28:15', 3, 'UTC')`;
const text = (cell: Sql): Sql => sql`ifNull(${cell}, '')`;

/** '' when the cell is acceptable for its column (given the record's shape is right), otherwise why not. */
function cellProblem(column: ColumnDef, cell: Sql): Sql {
  const t = text(cell);
  const checks: Sql[] = [
    sql`NOT isValidUTF8(${t})`,
    sql`${REASONS.notUtf8}`,
    sql`position(${t}, '\\0') > 0`,
    sql`${REASONS.nul}`,
  ];
  if (column.required) checks.push(sql`${t} = ''`, sql`${REASONS.required}`);
  const present = column.required ? emptySql : sql`${t} != '' AND `;
  switch (column.type) {
    case 'time':
      checks.push(sql`${present}NOT match(${t}, ${TIME_PATTERN})`, sql`${REASONS.notTime}`);
      checks.push(sql`${present}${parsedTime(t)} IS NULL`, sql`${REASONS.badDate}`);
      checks.push(sql`${present}NOT (${parsedTime(t)} ${TIME_RANGE})`, sql`${REASONS.timeRange}`);
      break;
    case 'money':
    case 'quantity':
      checks.push(sql`${present}NOT match(${t}, ${DECIMAL_PATTERN})`, sql`${REASONS.notDecimal}`);
      break;
    case 'integer':
      checks.push(sql`${present}NOT match(${t}, ${INTEGER_PATTERN})`, sql`${REASONS.notInteger}`);
      if (column.nonNegative) checks.push(sql`${present}startsWith(${t}, '-')`, sql`${REASONS.negative}`);
      break;
    case 'string':
      break;
  }
  return sql`multiIf(${joinSql(checks)}, '')`;
}

function mappedCells(layout: CsvLayout): Array<{ column: ColumnDef; index: number }> {
  return layout.mapping.fileColumns.flatMap(({ column }, index) => (column ? [{ column, index }] : []));
}

/** SQL boolean, exactly `recordProblem(layout) = ''`. */
function recordOk(layout: CsvLayout): Sql {
  const n = fieldCount(layout);
  return sql`c0 IS NOT NULL AND ${field(n - 1)} IS NOT NULL AND ${field(n)} IS NULL`;
}

/**
 * SQL boolean, exactly `cellProblem(column, cell) = ''`, without building reasons: the load runs
 * it on every cell, validation (which reports reasons) only after a failure. The patterns are
 * anchored and ASCII-only, so a cell that matches one is valid UTF-8, holds no NUL and is not
 * empty: those checks are left to text columns.
 */
function cellOk(column: ColumnDef, cell: Sql): Sql {
  const t = text(cell);
  const whenPresent = (check: Sql) => (column.required ? check : sql`(${t} = '' OR ${check})`);
  switch (column.type) {
    case 'time': {
      // Spelled as convertedCell spells it, so ClickHouse parses each time once for both.
      const parsed = parsedTime(sql`nullIf(${t}, '')`);
      return whenPresent(sql`(match(${t}, ${TIME_PATTERN}) AND ifNull(${parsed} ${TIME_RANGE}, 0))`);
    }
    case 'money':
    case 'quantity':
      return whenPresent(sql`match(${t}, ${DECIMAL_PATTERN})`);
    case 'integer':
      return whenPresent(
        column.nonNegative
          ? sql`(match(${t}, ${INTEGER_PATTERN}) AND NOT startsWith(${t}, '-'))`
          : sql`match(${t}, ${INTEGER_PATTERN})`,
      );
    case 'string':
      return sql`(isValidUTF8(${t}) AND position(${t}, '\\0') = 0${column.required ? sql` AND ${t} != ''` : emptySql})`;
  }
}

/** SQL boolean: the record is loadable (no problem `rowProblems` would report). */
export function rowOk(layout: CsvLayout): Sql {
  return joinSql(
    [recordOk(layout), ...mappedCells(layout).map(({ column, index }) => cellOk(column, field(index)))],
    ' AND ',
  );
}

/**
 * SQL Array(Tuple(Int32, String, String)): (field position or -1 for the whole record, reason,
 * offending text) for every problem of the record; empty when the record is loadable. Cells are
 * only judged once the record has the right number of fields.
 */
export function rowProblems(layout: CsvLayout): Sql {
  const shown = (cell: Sql) => sql`replaceAll(substring(toValidUTF8(${text(cell)}), 1, 200), '\\0', '\\\\0')`;
  const cells = mappedCells(layout).map(
    ({ column, index }) =>
      sql`tuple(toInt32(${trustedSql(String(index))}), ${cellProblem(column, field(index))}, ${shown(field(index))})`,
  );
  const record = recordProblem(layout);
  return sql`if(${record} != '', [tuple(toInt32(-1), ${record}, '')], arrayFilter(p -> p.2 != '', [${joinSql(cells)}]))`;
}

/** SQL UInt64: line breaks inside the record's quoted fields (a record then spans several lines). */
export function lineBreaksInRecord(layout: CsvLayout): Sql {
  return joinSql(
    Array.from({ length: fieldCount(layout) + 1 }, (_, i) => {
      const t = text(field(i));
      return sql`(countSubstrings(${t}, '\\n') + countSubstrings(${t}, '\\r') - countSubstrings(${t}, '\\r\\n'))`;
    }),
    ' + ',
  );
}

/** The typed value of a cell of a loadable record (the conversions cannot fail once rowOk holds). */
export function convertedCell(column: ColumnDef, cell: Sql): Sql {
  const value = sql`nullIf(${text(cell)}, '')`;
  const typed = (() => {
    switch (column.type) {
      case 'time':
        return sql`toDateTime(${parsedTime(value)}, 'UTC')`;
      case 'money':
      case 'quantity':
        return sql`toDecimal64OrNull(${value}, 4)`;
      case 'integer':
        return sql`toInt64OrNull(${value})`;
      case 'string':
        return value;
    }
  })();
  return column.required ? sql`assumeNotNull(${typed})` : typed;
}

/** Target columns of the raw table with the value expression of each, in file order. */
export function loadColumns(layout: CsvLayout): Array<{ target: Sql; value: Sql }> {
  return mappedCells(layout).map(({ column, index }) => ({
    target: trustedIdentifier(column.name),
    value: convertedCell(column, field(index)),
  }));
}
