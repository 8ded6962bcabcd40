import type { Readable } from 'node:stream';
import { AppError, ErrorCode } from '../errors/app-error';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Where a quoted field was opened and never closed. */
export interface UnclosedQuote {
  /** 1-based physical line of the opening quote. */
  readonly line: number;
  /** 0-based field position in its record. */
  readonly field: number;
}

/**
 * Follows the CSV quoting of a stream byte by byte (bounded state, any file size), counting lines
 * and fields, for the one defect ClickHouse's reader tolerates silently: a quoted field still
 * open at the end of the file, which it reads as a single cell holding the rest of the file.
 * Every other rule is checked by ClickHouse itself. Uploads are watched by the faster
 * QuoteTracker; this scanner says where (line, field) once the tracker has found such a quote.
 */
export class CsvShapeScanner {
  private inQuotes = false;
  /** Inside quotes, a quote was just seen: either the close or the first half of `""`. */
  private quotePending = false;
  private atFieldStart = true;
  private afterCr = false;
  private line = 1;
  private field = 0;
  private openLine = 0;
  private openField = 0;

  write(chunk: Uint8Array): void {
    for (const b of chunk) {
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (b === QUOTE) continue;
          this.inQuotes = false;
        } else {
          if (b === QUOTE) this.quotePending = true;
          else this.countLineBreak(b);
          continue;
        }
      }
      if (b === QUOTE && this.atFieldStart) {
        this.inQuotes = true;
        this.openLine = this.line;
        this.openField = this.field;
        this.atFieldStart = false;
        this.afterCr = false;
      } else if (b === COMMA) {
        this.field += 1;
        this.atFieldStart = true;
        this.afterCr = false;
      } else if (b === LF || b === CR) {
        this.countLineBreak(b);
        this.field = 0;
        this.atFieldStart = true;
      } else {
        this.atFieldStart = false;
        this.afterCr = false;
      }
    }
  }

  /** CRLF, LF and a bare CR each end one line. */
  private countLineBreak(b: number): void {
    if (b === LF) {
      if (!this.afterCr) this.line += 1;
      this.afterCr = false;
    } else if (b === CR) {
      this.line += 1;
      this.afterCr = true;
    } else this.afterCr = false;
  }

  /** Line and field of the last byte written. */
  position(): UnclosedQuote {
    return { line: this.line, field: this.field };
  }

  /** After the last chunk: the quote left open, if any. */
  unclosedQuote(): UnclosedQuote | null {
    return this.inQuotes && !this.quotePending ? { line: this.openLine, field: this.openField } : null;
  }
}

/**
 * Line and field of the quote that opens at byte `offset` of `body` (as QuoteTracker reported
 * it): the scanner reads the body up to that byte and stops.
 */
export async function locateOpenQuote(body: Readable, offset: number): Promise<UnclosedQuote> {
  const { scanner, reached } = await scanUpTo(body, offset);
  const open = reached ? scanner.unclosedQuote() : null;
  if (!open)
    throw new AppError(
      ErrorCode.STORAGE_ERROR,
      `The stored file differs from the one received: no quote opens at byte ${offset}`,
      { details: { offset } },
    );
  return open;
}

/** Line and field of byte `offset` of `body` (where a line or field passed its size limit). */
export async function locateByte(body: Readable, offset: number): Promise<UnclosedQuote> {
  const { scanner, reached } = await scanUpTo(body, offset);
  if (!reached)
    throw new AppError(
      ErrorCode.STORAGE_ERROR,
      `The stored file differs from the one received: it ends before byte ${offset}`,
      { details: { offset } },
    );
  return scanner.position();
}

async function scanUpTo(
  body: Readable,
  offset: number,
): Promise<{ scanner: CsvShapeScanner; reached: boolean }> {
  const scanner = new CsvShapeScanner();
  let seen = 0;
  try {
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      const wanted = offset + 1 - seen;
      scanner.write(bytes.length > wanted ? bytes.subarray(0, wanted) : bytes);
      seen += Math.min(bytes.length, wanted);
      if (seen > offset) break;
    }
  } finally {
    body.destroy();
  }
  return { scanner, reached: seen > offset };
}
