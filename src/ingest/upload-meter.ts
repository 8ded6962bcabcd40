import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { AppError, ErrorCode } from '../errors/app-error';
import { QuoteTracker } from './csv-quote-tracker';
import { parseHeaderRecord } from './header-mapping';

/** A header row longer than this is not a header. */
const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * Passes the upload through unchanged while counting bytes, hashing it (SHA-256), reading the
 * header record and following the quoting. Fails the stream past the configured size, so an
 * oversized body never fills the object store.
 */
export class UploadMeter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private readonly decoder = new StringDecoder('utf8');
  private readonly quotes = new QuoteTracker();
  private headerText = '';
  private headerFields: string[] | null = null;

  constructor(private readonly maxBytes: number) {
    super();
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
    if (this.headerFields === null && this.headerText.length < MAX_HEADER_BYTES) {
      this.headerText += this.decoder.write(chunk);
      this.headerFields = parseHeaderRecord(this.headerText);
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.headerFields === null)
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

  /** Byte offset of a quoted field left open at the end of the file (known once the stream has ended). */
  get unclosedQuoteAt(): number | null {
    return this.quotes.unclosedQuoteAt();
  }
}
