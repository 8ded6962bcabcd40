import type { Readable } from 'node:stream';
import type { CsvLimits } from '../config/config';
import type { DatasetKindDef } from '../datasets/dataset-kinds';
import type { RowError } from '../datasets/upload';
import type { CsvBoundBreach } from './csv-bounds-tracker';
import { locateByte, locateOpenQuote } from './csv-shape-scanner';
import { describeHeaderProblem, mapHeaders, type HeaderMapping, type HeaderProblem } from './header-mapping';
import { shorten } from './load-outcome';

/** What the gateway learnt while the file streamed past it (the same whichever way it came in). */
export interface ReceivedFile {
  readonly bytes: number;
  readonly sha256: string;
  readonly header: string[] | null;
  /** Byte offset of a quote left open at the end of the file (ClickHouse would read the rest as one cell). */
  readonly unclosedQuoteAt: number | null;
  /** The first line or field past its size limit. */
  readonly breach: CsvBoundBreach | null;
  /** The store's ETag of the version that was hashed: the load reads that version or fails OBJECT_CHANGED. */
  readonly etag?: string;
}

/** Why a file is refused before the engine reads a byte of it. */
export interface FileRejection {
  readonly code: string;
  readonly message: string;
  readonly sample: readonly RowError[];
}

export type FileVerdict =
  | { readonly ok: true; readonly mapping: HeaderMapping }
  | { readonly ok: false; readonly rejection: FileRejection; readonly mapping?: HeaderMapping };

function headerErrors(header: readonly string[], problems: readonly HeaderProblem[]): RowError[] {
  return problems.map((problem) => ({
    line: 1,
    record: null,
    column: problem.kind === 'DUPLICATE' ? (problem.headers[0] ?? null) : null,
    reason: describeHeaderProblem(problem),
    value: problem.kind === 'EMPTY_HEADER' ? null : shorten(header.join(',')),
  }));
}

/**
 * The checks a received file passes before any load statement: its bounds (line and field sizes,
 * header width), a header that maps onto the kind's columns, and balanced quotes. `open` reads
 * the stored object again, only when a problem's line must be found.
 */
export async function checkReceivedFile(
  file: ReceivedFile,
  kind: DatasetKindDef,
  limits: CsvLimits,
  open: () => Promise<Readable>,
): Promise<FileVerdict> {
  if (file.breach) return { ok: false, rejection: await describeBreach(file.breach, file, limits, open) };
  if (file.bytes === 0 || file.header === null)
    return reject('EMPTY_FILE', 'The file is empty: it has no header row.', []);
  const header = file.header;
  if (header.length > limits.maxColumns) {
    return reject(
      'TOO_MANY_COLUMNS',
      `The header has ${header.length} columns; at most ${limits.maxColumns} are accepted.`,
      [
        {
          line: 1,
          record: null,
          column: null,
          reason: 'has too many columns',
          value: shorten(header.join(',')),
        },
      ],
    );
  }
  const mapped = mapHeaders(header, kind);
  if (!mapped.ok) {
    return reject(
      'BAD_HEADER',
      `The header cannot be used: ${mapped.problems.map(describeHeaderProblem).join('; ')}.`,
      headerErrors(header, mapped.problems),
    );
  }
  if (file.unclosedQuoteAt !== null) {
    const { line, field } = await locateOpenQuote(await open(), file.unclosedQuoteAt);
    const rejection: FileRejection = {
      code: 'INVALID_CSV',
      message: `A quoted field opened on line ${line} is never closed.`,
      sample: [
        {
          line,
          record: null,
          column: header[field] ?? null,
          reason: 'opens a quoted field that is never closed (unbalanced quotes)',
          value: null,
        },
      ],
    };
    return { ok: false, rejection, mapping: mapped.mapping };
  }
  return { ok: true, mapping: mapped.mapping };
}

function reject(code: string, message: string, sample: readonly RowError[]): FileVerdict {
  return { ok: false, rejection: { code, message, sample } };
}

async function describeBreach(
  breach: CsvBoundBreach,
  file: ReceivedFile,
  limits: CsvLimits,
  open: () => Promise<Readable>,
): Promise<FileRejection> {
  const { line, field } = await locateByte(await open(), breach.offset);
  if (breach.kind === 'LINE_TOO_LARGE') {
    return {
      code: 'LINE_TOO_LARGE',
      message: `Line ${line} is longer than ${limits.maxLineBytes} bytes, the limit for one line; nothing was loaded.`,
      sample: [
        {
          line,
          record: null,
          column: null,
          reason: `is longer than ${limits.maxLineBytes} bytes`,
          value: null,
        },
      ],
    };
  }
  const column = line === 1 ? null : (file.header?.[field] ?? null);
  const where = column === null ? `field ${field + 1}` : `column ${column}`;
  return {
    code: 'FIELD_TOO_LARGE',
    message: `Line ${line}, ${where}: a field is longer than ${limits.maxFieldBytes} bytes, the limit for one field; nothing was loaded.`,
    sample: [
      { line, record: null, column, reason: `is longer than ${limits.maxFieldBytes} bytes`, value: null },
    ],
  };
}
