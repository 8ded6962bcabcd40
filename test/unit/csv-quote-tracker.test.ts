import { Readable } from 'node:stream';
import fc from 'fast-check';
import { QuoteTracker } from '../../src/ingest/csv-quote-tracker';
import { CsvShapeScanner, locateOpenQuote } from '../../src/ingest/csv-shape-scanner';

/** Feeds `text` in the given pieces (cut points), like a body arriving in network chunks. */
function pieces(text: string, cuts: readonly number[]): Buffer[] {
  const bytes = Buffer.from(text, 'latin1');
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    out.push(bytes.subarray(start, point));
    start = point;
  }
  return out;
}

function track(chunks: readonly Buffer[]): number | null {
  const tracker = new QuoteTracker();
  for (const chunk of chunks) tracker.write(chunk);
  return tracker.unclosedQuoteAt();
}

function scan(chunks: readonly Buffer[]) {
  const scanner = new CsvShapeScanner();
  for (const chunk of chunks) scanner.write(chunk);
  return scanner.unclosedQuote();
}

describe('quote tracker', () => {
  test('balanced quoting, doubled quotes and quoted line breaks leave nothing open', () => {
    expect(track([Buffer.from('a,b\n"x, ""y""","multi\nline"\r\n1,2\n')])).toBeNull();
  });

  test('an open quote is reported at its byte offset, also when chunks split a doubled quote', () => {
    expect(track([Buffer.from('a,b,c\n1,2,3\r\n4,"open,5\n')])).toBe(15);
    expect(track([Buffer.from('a\n"x"'), Buffer.from('"y"\n')])).toBeNull();
    expect(track([Buffer.from('a\n"x"'), Buffer.from('"y\n')])).toBe(2);
    expect(track([Buffer.from('a,b\r1,x"y\r2,"open')])).toBe(12);
  });

  test('agrees with the byte-by-byte scanner on any text and any chunking', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ',', '"', '"', '\n', '\r', ' '), maxLength: 120 });
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (csv, cuts) => {
        const chunks = pieces(csv, cuts);
        const at = track(chunks);
        const expected = scan(chunks);
        expect(at === null).toBe(expected === null);
        // The scanner stopped right after the reported quote sees that very quote open.
        if (at !== null) expect(scan([Buffer.from(csv, 'latin1').subarray(0, at + 1)])).toEqual(expected);
      }),
      { numRuns: 3000, seed: 1632 },
    );
  });

  test('locateOpenQuote reads a stored body up to the quote and names its line and field', async () => {
    const csv = 'a,b,c\n1,2,3\r\n4,"x\ny",5\n6,7,"open\n8,9\n';
    const at = track([Buffer.from(csv)]);
    expect(at).not.toBeNull();
    await expect(
      locateOpenQuote(Readable.from([Buffer.from(csv.slice(0, 10)), Buffer.from(csv.slice(10))]), at!),
    ).resolves.toEqual({ line: 5, field: 2 });
    await expect(locateOpenQuote(Readable.from([Buffer.from('a,b\n1,2\n')]), 4)).rejects.toMatchObject({
      code: 'STORAGE_ERROR',
    });
  });
});
