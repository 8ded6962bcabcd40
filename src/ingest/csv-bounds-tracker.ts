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
 * The receive path runs on every upload, so the common case stays native: from each line break it
 * jumps to the last line break within a field's length (`lastIndexOf`), usually one call per
 * chunk, and only a line long enough to break a bound is walked byte by byte (with CR as a line
 * break too, for old Mac files). A field longer than the limit holds no separator for that
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
    let pos = 0;
    // Whether the chunk's last line still needs its separator run found (a walk counted it).
    let carry = true;
    while (this.found === null && pos < length) {
      // The last index at which the current line is still within the field limit.
      const budgetEnd = pos + (this.limits.maxFieldBytes - this.lineLength);
      if (budgetEnd >= length) {
        const lf = chunk.lastIndexOf(LF);
        this.lineLength = lf >= pos ? length - 1 - lf : this.lineLength + length - pos;
        break;
      }
      // Jump to the last line break the budget reaches: every line up to it is short enough.
      const lf = chunk.lastIndexOf(LF, budgetEnd);
      if (lf >= pos) {
        this.lineLength = 0;
        pos = lf + 1;
        continue;
      }
      // A line longer than a field may be: walk it to its end.
      const next = chunk.indexOf(LF, pos);
      this.walk(chunk, pos, next === -1 ? length : next);
      if (next === -1) {
        carry = false;
        break;
      }
      this.lineLength = 0;
      this.run = 0;
      pos = next + 1;
    }
    if (this.found === null && carry) this.carryRun(chunk);
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

  /**
   * The separator run that continues into the next chunk, searched only in the chunk's last line
   * (a search over the whole chunk for a byte it lacks, such as CR, would cost more than the rest).
   */
  private carryRun(chunk: Buffer): void {
    const lf = chunk.lastIndexOf(LF);
    const tail = chunk.subarray(lf + 1);
    const separator = Math.max(tail.lastIndexOf(COMMA), tail.lastIndexOf(CR));
    if (separator !== -1) this.run = tail.length - 1 - separator;
    else this.run = lf === -1 ? this.run + chunk.length : tail.length;
  }
}
