import type { CsvLimits } from '../config/config';

const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** The first place a file breaks a bound: which bound, and the byte where it was passed. */
export interface CsvBoundBreach {
  readonly kind: 'LINE_TOO_LARGE' | 'FIELD_TOO_LARGE';
  /** Byte offset inside the offending line or field (an open quote, for a quoted field). */
  readonly offset: number;
}

/**
 * Watches an upload's physical lines and unquoted fields for their size limits while it streams
 * past (quoted fields are measured by QuoteTracker, which already follows the quoting). Bounding
 * them keeps one cell from costing the engine hundreds of megabytes for every query that reads it.
 *
 * The receive path runs on every upload, so the common case stays native: lines are found with
 * `indexOf`, and only a segment long enough to break a bound is walked byte by byte (with CR as a
 * line break too, for old Mac files). A field longer than the limit holds no separator for that
 * many bytes, so separator runs bound unquoted fields exactly; a run inside quotes that long is a
 * quoted field over the limit as well.
 */
export class CsvBoundsTracker {
  /** Bytes since the last line break. */
  private lineLength = 0;
  /** Bytes since the last comma or line break. */
  private run = 0;
  private seen = 0;
  private found: CsvBoundBreach | null = null;

  constructor(private readonly limits: Pick<CsvLimits, 'maxLineBytes' | 'maxFieldBytes'>) {}

  get breach(): CsvBoundBreach | null {
    return this.found;
  }

  write(chunk: Buffer): void {
    const length = chunk.length;
    let start = 0;
    while (this.found === null && start < length) {
      const lf = chunk.indexOf(LF, start);
      const end = lf === -1 ? length : lf;
      if (this.lineLength + (end - start) > this.limits.maxFieldBytes) this.walk(chunk, start, end);
      else this.lineLength += end - start;
      if (lf === -1) break;
      this.lineLength = 0;
      this.run = 0;
      start = lf + 1;
    }
    if (this.found === null) this.carryRun(chunk);
    this.seen += length;
  }

  /** Byte by byte through a long segment (no LF inside). */
  private walk(chunk: Buffer, start: number, end: number): void {
    for (let i = start; i < end; i += 1) {
      const b = chunk[i];
      if (b === CR) {
        this.lineLength = 0;
        this.run = 0;
        continue;
      }
      this.lineLength += 1;
      this.run = b === COMMA ? 0 : this.run + 1;
      if (this.lineLength > this.limits.maxLineBytes) {
        this.found = { kind: 'LINE_TOO_LARGE', offset: this.seen + i };
        return;
      }
      if (this.run > this.limits.maxFieldBytes) {
        this.found = { kind: 'FIELD_TOO_LARGE', offset: this.seen + i };
        return;
      }
    }
  }

  /** The separator run that continues into the next chunk, found from the end (usually a few bytes back). */
  private carryRun(chunk: Buffer): void {
    const last = Math.max(chunk.lastIndexOf(COMMA), chunk.lastIndexOf(LF), chunk.lastIndexOf(CR));
    this.run = last === -1 ? this.run + chunk.length : chunk.length - 1 - last;
  }
}
