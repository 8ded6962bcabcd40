import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { AppError, ErrorCode } from '../errors/app-error';
import type { CsvLimits } from '../config/config';
import { CsvBoundsTracker, type CsvBoundBreach } from './csv-bounds-tracker';
import { QuoteTracker } from './csv-quote-tracker';
import { parseHeaderRecord } from './header-mapping';

/**
 * Passes the upload through unchanged while counting bytes, hashing it (SHA-256), reading the
 * header record, following the quoting and watching line and field sizes. Fails the stream past
 * the configured size, so an oversized body never fills the object store; a line or field past
 * its bound is only noted (the upload is then rejected, naming the line, before any load).
 */
export class UploadMeter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private readonly decoder = new StringDecoder('utf8');
  private readonly quotes: QuoteTracker;
  private readonly bounds: CsvBoundsTracker;
  private headerText = '';
  private headerFields: string[] | null = null;

  constructor(
    private readonly maxBytes: number,
    private readonly limits: CsvLimits,
  ) {
    super();
    this.quotes = new QuoteTracker(limits.maxFieldBytes);
    this.bounds = new CsvBoundsTracker(limits);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(
        new AppError(
          ErrorCode.UPLOAD_TOO_LARGE,
          `Upload exceeds the maximum size of ${this.maxBytes} bytes`,
          { details: { maxBytes: this.maxBytes } },
        ),
      );
      return;
    }
    this.hash.update(chunk);
    this.quotes.write(chunk);
    this.bounds.write(chunk);
    if (this.headerFields === null && this.headerText.length <= this.limits.maxLineBytes) {
      this.headerText += this.decoder.write(chunk);
      this.headerFields = parseHeaderRecord(this.headerText);
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    // A header cut off at the line limit is no header (the line's breach says why).
    if (this.headerFields === null && this.headerText.length <= this.limits.maxLineBytes)
      this.headerFields = parseHeaderRecord(this.headerText + this.decoder.end(), true);
    done();
  }

  get sha256(): string {
    return this.hash.copy().digest('hex');
  }

  /** The header fields, or null when the file has no complete header record. */
  get header(): string[] | null {
    return this.headerFields;
  }

  /** The first line or field past its bound (a quoted one counts where its quote opens). */
  get breach(): CsvBoundBreach | null {
    const quoted = this.quotes.oversizedQuoteAt();
    const unquoted = this.bounds.breach;
    if (quoted === null) return unquoted;
    if (unquoted !== null && unquoted.offset < quoted) return unquoted;
    return { kind: 'FIELD_TOO_LARGE', offset: quoted };
  }

  /** Byte offset of a quoted field left open at the end of the file (known once the stream has ended). */
  get unclosedQuoteAt(): number | null {
    return this.quotes.unclosedQuoteAt();
  }
}
