import type { RowError } from '../datasets/upload';

/** ClickHouse error types that mean "the file's content is wrong", as opposed to "the system failed". */
const DATA_ERROR_TYPE =
  /^(CANNOT_PARSE_\w+|CANNOT_READ_\w+|INCORRECT_DATA|INCORRECT_NUMBER_OF_COLUMNS|CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN|DECIMAL_OVERFLOW|VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE|ARGUMENT_OUT_OF_BOUND|TOO_LARGE_STRING_SIZE|ATTEMPT_TO_READ_AFTER_EOF|FUNCTION_THROW_IF_VALUE_IS_NON_ZERO|CANNOT_CONVERT_TYPE)$/;

export function isDataError(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string') return DATA_ERROR_TYPE.test(type);
  }
  return false;
}

/** ClickHouse's message names the row and column; keep that, drop the internals. */
export function summariseLoadError(message: string): string {
  const cleaned = message
    .replace(/\s*\(in file\/uri[^)]*\)/g, '')
    .replace(/: While executing [^.]*\.?/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > 2000 ? `${cleaned.slice(0, 2000)}…` : cleaned;
}

/** "2 rows are not valid; the first: line 3, column grossRevenue "ten" is not a decimal number…" */
export function describeRows(found: { records: number; sample: readonly RowError[] }): string {
  const first = found.sample[0];
  const count = `${found.records} ${found.records === 1 ? 'row is' : 'rows are'} not valid`;
  if (!first) return count;
  const where = `line ${first.line}${first.column !== null ? `, column ${first.column}` : ''}`;
  const what = first.value !== null ? `${JSON.stringify(first.value)} ${first.reason}` : first.reason;
  return `${count}; the first: ${where}: ${what}`;
}

/** Line breaks inside the header's own quoted fields push the first record down. */
export const firstDataLine = (header: readonly string[]): number =>
  2 + header.reduce((n, h) => n + (h.match(/\r\n|\r|\n/g)?.length ?? 0), 0);

/** Optional columns with a value in every one of the upload's rows. */
export function fullyFilled(filled: ReadonlyMap<string, number>, rows: number): string[] {
  return [...filled].filter(([, n]) => n === rows).map(([column]) => column);
}

/** Text kept in a row error or the ledger is shortened, so a huge cell never bloats a response. */
export function shorten(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
