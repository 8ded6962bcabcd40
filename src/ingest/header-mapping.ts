import type { ColumnDef, DatasetKindDef } from '../datasets/dataset-kinds';

/** Where each file column goes: a canonical column, or nowhere (reported as ignored). */
export interface HeaderMapping {
  /** One entry per file column, in file order. */
  readonly fileColumns: ReadonlyArray<{ readonly header: string; readonly column: ColumnDef | null }>;
  readonly mapped: readonly string[];
  readonly ignored: readonly string[];
}

/** A file header that names no column, with the known spelling closest to it (if any is close). */
export interface UnmatchedHeader {
  readonly header: string;
  readonly closest: string | null;
}

export type HeaderProblem =
  | {
      readonly kind: 'MISSING_REQUIRED';
      readonly columns: readonly string[];
      /** The file's headers that matched nothing: usually where the missing columns hide. */
      readonly unmatched: readonly UnmatchedHeader[];
    }
  /** Two headers for one canonical column, or (column null) one unknown name given twice. */
  | { readonly kind: 'DUPLICATE'; readonly column: string | null; readonly headers: readonly string[] }
  | { readonly kind: 'EMPTY_HEADER' };

export type HeaderMappingResult =
  | { readonly ok: true; readonly mapping: HeaderMapping }
  | { readonly ok: false; readonly problems: readonly HeaderProblem[] };

/** Case and punctuation are not meaningful in headers: `__time`, `Time` and `TIME` are one. */
export function normaliseHeader(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function mapHeaders(headers: readonly string[], kind: DatasetKindDef): HeaderMappingResult {
  if (headers.length === 0 || headers.every((h) => h.trim() === ''))
    return { ok: false, problems: [{ kind: 'EMPTY_HEADER' }] };
  const lookup = new Map<string, ColumnDef>();
  for (const column of kind.columns) {
    for (const spelling of [column.name, ...column.aliases]) lookup.set(normaliseHeader(spelling), column);
  }
  const fileColumns = headers.map((header) => ({
    header,
    column: lookup.get(normaliseHeader(header)) ?? null,
  }));
  const problems: HeaderProblem[] = [];
  const byColumn = new Map<string, string[]>();
  for (const { header, column } of fileColumns) {
    if (column) byColumn.set(column.name, [...(byColumn.get(column.name) ?? []), header]);
  }
  for (const [column, spellings] of byColumn) {
    if (spellings.length > 1) problems.push({ kind: 'DUPLICATE', column, headers: spellings });
  }
  // An unknown header given twice is ignored either way, but a file that repeats a name is ambiguous.
  const unknown = new Map<string, string[]>();
  for (const { header, column } of fileColumns) {
    if (!column && header.trim() !== '')
      unknown.set(normaliseHeader(header), [...(unknown.get(normaliseHeader(header)) ?? []), header]);
  }
  for (const spellings of unknown.values()) {
    if (spellings.length > 1) problems.push({ kind: 'DUPLICATE', column: null, headers: spellings });
  }
  const missing = kind.columns.filter((c) => c.required && !byColumn.has(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    const known = kind.columns.flatMap((c) => [c.name, ...c.aliases]);
    const unmatched = fileColumns
      .filter((f) => !f.column && f.header.trim() !== '')
      .map(({ header }) => ({ header, closest: closestName(header, known) }));
    problems.push({ kind: 'MISSING_REQUIRED', columns: missing, unmatched });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    mapping: {
      fileColumns,
      mapped: fileColumns.flatMap((f) => (f.column ? [f.column.name] : [])),
      ignored: fileColumns.filter((f) => !f.column).map((f) => f.header),
    },
  };
}

/** A file's header as a message quotes it: shortened, so a huge header never bloats an error. */
const quoted = (header: string) => JSON.stringify(header.length > 60 ? `${header.slice(0, 60)}…` : header);

export function describeHeaderProblem(problem: HeaderProblem): string {
  switch (problem.kind) {
    case 'MISSING_REQUIRED': {
      const missing = `missing required column(s): ${problem.columns.join(', ')}`;
      if (problem.unmatched.length === 0) return `${missing}; no header of the file was left unmatched`;
      const shown = problem.unmatched
        .slice(0, 20)
        .map(({ header, closest }) =>
          closest ? `${quoted(header)} (closest known name: ${closest})` : quoted(header),
        );
      const more = problem.unmatched.length > 20 ? ` and ${problem.unmatched.length - 20} more` : '';
      return `${missing}; headers of the file that match no column: ${shown.join(', ')}${more}`;
    }
    case 'DUPLICATE':
      return problem.column
        ? `headers ${problem.headers.map(quoted).join(' and ')} both map to column ${problem.column}`
        : `header ${quoted(problem.headers[0] ?? '')} appears ${problem.headers.length} times`;
    case 'EMPTY_HEADER':
      return 'the file has no header row';
  }
}

/**
 * The known spelling nearest to a header (edit distance over normalised names), when it is near
 * enough to be a likely typo or variant: at most a third of the longer name differs. A few lines of
 * our own: the installed distance libraries are development-only dependencies.
 */
export function closestName(header: string, known: readonly string[]): string | null {
  const target = normaliseHeader(header);
  if (target === '' || target.length > 64) return null;
  let best: { name: string; distance: number } | null = null;
  for (const name of known) {
    const distance = editDistance(target, normaliseHeader(name));
    if (
      distance * 3 <= Math.max(target.length, normaliseHeader(name).length) &&
      (!best || distance < best.distance)
    )
      best = { name, distance };
  }
  return best?.name ?? null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Parses the first CSV record (RFC 4180: quoted fields, doubled quotes, CRLF or LF), after an
 * optional UTF-8 BOM. Returns null until a whole record is available.
 */
export function parseHeaderRecord(text: string, final = false): string[] | null {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < source.length; i += 1) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      fields.push(field);
      return fields;
    } else field += ch;
  }
  if (final && !quoted && source.length > 0) {
    fields.push(field);
    return fields;
  }
  return null;
}
