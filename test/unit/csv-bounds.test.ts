import { DEFAULT_CSV_LIMITS } from '../../src/config/config';
import { CsvBoundsTracker } from '../../src/ingest/csv-bounds-tracker';
import { QuoteTracker } from '../../src/ingest/csv-quote-tracker';
import { UploadMeter } from '../../src/ingest/upload-meter';

const limits = { maxLineBytes: 1000, maxFieldBytes: 100, maxColumns: 50 };

/** Feeds `text` in chunks of `size` bytes, as a socket would. */
function meter(text: string, size: number) {
  const m = new UploadMeter(Number.MAX_SAFE_INTEGER, limits);
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) m.write(bytes.subarray(i, i + size));
  m.end();
  m.resume();
  return m;
}

const ok = 'time,grossRevenue\n2025-01-01T00:00:00Z,1.00\n';

describe('CSV lines and fields are bounded while the file streams past', () => {
  test.each([1, 7, 64, 4096])('a file within bounds breaks none (chunks of %i bytes)', (size) => {
    const wide = `${'a,'.repeat(400)}a\n`; // 801 bytes: a long line of short fields
    const quoted = `"${'x'.repeat(98)}",2\n`;
    expect(meter(ok + wide + quoted + `${'y'.repeat(100)},1\n`, size).breach).toBeNull();
  });

  test.each([1, 7, 64, 4096])('an unquoted field past the limit (chunks of %i bytes)', (size) => {
    const text = `${ok}2025-01-01T00:00:00Z,${'9'.repeat(101)}\n`;
    const breach = meter(text, size).breach;
    expect(breach?.kind).toBe('FIELD_TOO_LARGE');
    // Inside the offending field: after the line's first comma, at most the limit into it.
    const fieldStart = ok.length + '2025-01-01T00:00:00Z,'.length;
    expect(breach?.offset).toBeGreaterThanOrEqual(fieldStart);
    expect(breach?.offset).toBeLessThanOrEqual(fieldStart + 100);
  });

  test.each([1, 7, 64, 4096])(
    'a quoted field past the limit, across lines and commas (chunks of %i bytes)',
    (size) => {
      const text = `${ok}2025-01-01T00:00:00Z,"${'a,b\n'.repeat(30)}"\n`;
      expect(meter(text, size).breach).toEqual({
        kind: 'FIELD_TOO_LARGE',
        offset: ok.length + '2025-01-01T00:00:00Z,'.length,
      });
    },
  );

  test.each([1, 7, 64, 4096])('a line past the limit, of short fields (chunks of %i bytes)', (size) => {
    const breach = meter(`${ok}${'1,'.repeat(600)}\n`, size).breach;
    expect(breach).toEqual({ kind: 'LINE_TOO_LARGE', offset: ok.length + 1000 });
  });

  test('a bare CR ends a line too (old Mac exports)', () => {
    const lines = Array.from({ length: 50 }, () => 'aaaa,bbbb,cccc').join('\r');
    expect(meter(lines, 64).breach).toBeNull();
    expect(meter(`${lines}\r${'z'.repeat(120)}`, 64).breach?.kind).toBe('FIELD_TOO_LARGE');
  });

  test('a first line longer than the line limit leaves no header to use', () => {
    const m = meter(`${'h,'.repeat(700)}\n1,2\n`, 64);
    expect(m.breach?.kind).toBe('LINE_TOO_LARGE');
    expect(m.header).toBeNull();
  });

  test('the defaults: 1 MiB per line, 64 KiB per field, 1000 columns', () => {
    expect(DEFAULT_CSV_LIMITS).toEqual({
      maxLineBytes: 1024 * 1024,
      maxFieldBytes: 64 * 1024,
      maxColumns: 1000,
    });
    const tracker = new CsvBoundsTracker(DEFAULT_CSV_LIMITS);
    tracker.write(Buffer.from(`a,${'b'.repeat(64 * 1024)}\n`));
    expect(tracker.breach).toBeNull();
    tracker.write(Buffer.from(`a,${'b'.repeat(64 * 1024 + 1)}\n`));
    expect(tracker.breach?.kind).toBe('FIELD_TOO_LARGE');
    const quotes = new QuoteTracker(10);
    quotes.write(Buffer.from('"0123456789",x\n"01234567890"\n'));
    expect(quotes.oversizedQuoteAt()).toBe(15);
  });
});

describe('the fast path finds exactly the first breach a byte-by-byte reading finds (property)', () => {
  /** The reference: CR or LF end a line; a comma, CR or LF ends a field. */
  function reference(bytes: Buffer, maxLine: number, maxField: number) {
    let line = 0;
    let run = 0;
    for (let i = 0; i < bytes.length; i += 1) {
      const b = bytes[i];
      if (b === 0x0a || b === 0x0d) {
        line = 0;
        run = 0;
        continue;
      }
      line += 1;
      run = b === 0x2c ? 0 : run + 1;
      if (line > maxLine) return { kind: 'LINE_TOO_LARGE', offset: i };
      if (run > maxField) return { kind: 'FIELD_TOO_LARGE', offset: i };
    }
    return null;
  }

  test('random text, limits and chunk sizes', async () => {
    const fc = await import('fast-check');
    const text = fc
      .array(
        fc.oneof(
          { weight: 20, arbitrary: fc.constant('a') },
          { weight: 3, arbitrary: fc.constant(',') },
          { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '\r\n') },
          { weight: 1, arbitrary: fc.string({ minLength: 30, maxLength: 250, unit: fc.constant('b') }) },
        ),
        { maxLength: 400 },
      )
      .map((parts) => Buffer.from(parts.join('')));
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 8, max: 120 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 500 }),
        (bytes, maxField, extra, chunk) => {
          const maxLine = maxField + extra;
          const tracker = new CsvBoundsTracker({ maxLineBytes: maxLine, maxFieldBytes: maxField });
          for (let i = 0; i < bytes.length; i += chunk) tracker.write(bytes.subarray(i, i + chunk));
          expect(tracker.breach).toEqual(reference(bytes, maxLine, maxField));
        },
      ),
      { numRuns: 2000, seed: 20261127 },
    );
  });
});
