import { CsvShapeScanner } from '../../src/ingest/csv-shape-scanner';

function scan(...chunks: string[]) {
  const scanner = new CsvShapeScanner();
  for (const chunk of chunks) scanner.write(Buffer.from(chunk));
  return scanner.unclosedQuote();
}

describe('CSV shape scanner', () => {
  test('balanced quoting, doubled quotes and quoted line breaks are fine', () => {
    expect(scan('a,b\n"x, ""y""","multi\nline"\r\n1,2\n')).toBeNull();
  });

  test('a quote left open at the end is found, with the line and field where it opened', () => {
    expect(scan('a,b,c\n1,2,3\r\n4,"open,5\n6,7,8\n')).toEqual({ line: 3, field: 1 });
  });

  test('bare CR ends lines; a quote in the middle of a field is text', () => {
    expect(scan('a,b\r1,x"y\r2,"open')).toEqual({ line: 3, field: 1 });
  });

  test('a doubled quote split across chunks is still an escaped quote', () => {
    expect(scan('a\n"x"', '"y"\n')).toBeNull();
    expect(scan('a\n"x"', '"y\n')).toEqual({ line: 2, field: 0 });
  });

  test('a closing quote as the last byte closes the field', () => {
    expect(scan('a\n"x"')).toBeNull();
  });
});
