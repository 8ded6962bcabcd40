import { Transform, type TransformCallback } from 'node:stream';
import cliProgress from 'cli-progress';

const LF = 0x0a;

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/**
 * Counts bytes and lines of a file as it streams out and draws them on stderr: bytes sent of the
 * total, rows (lines after the header) per second and the time left. Draws nothing when stderr is
 * not a terminal, so scripted use gets clean output.
 */
export class UploadProgress extends Transform {
  private bytes = 0;
  private lines = 0;
  private readonly started = Date.now();
  private readonly bar: cliProgress.SingleBar;

  constructor(private readonly totalBytes: number) {
    super();
    this.bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format:
          '{bar} {percentage}% | {sent} of {size} | {rows} rows | {rate} rows/s | ETA {eta_formatted} | {phase}',
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(Math.max(totalBytes, 1), 0, this.payload('sending'));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) this.lines += 1;
    this.bar.update(this.bytes, this.payload('sending'));
    done(null, chunk);
  }

  /** All bytes are sent; the gateway is validating and loading. */
  loading(): void {
    this.bar.update(this.bytes, this.payload('loading in ClickHouse…'));
  }

  stop(): void {
    this.bar.stop();
  }

  private payload(phase: string) {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rows = Math.max(this.lines - 1, 0);
    return {
      sent: mib(this.bytes),
      size: mib(this.totalBytes),
      rows,
      rate: Math.round(rows / seconds),
      phase,
    };
  }
}
