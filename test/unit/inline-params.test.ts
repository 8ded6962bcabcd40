import { inlineParams, stringLiteral } from '../../src/warehouse/inline-params';

describe('parameters delivered to chDB as typed literals', () => {
  test('strings: quotes, backslashes, NUL, newlines and non-ASCII are hex-escaped byte by byte', () => {
    expect(stringLiteral("it's")).toBe("'it\\x27s'");
    expect(stringLiteral('a\\b\0\n€')).toBe("'a\\x5cb\\x00\\x0a\\xe2\\x82\\xac'");
  });

  test('a value can never end the literal: the only quotes are the two delimiters', () => {
    for (const evil of ["'", "\\'", '\\', "''", "'; DROP TABLE t; --", "\u0000'", '}{p0:String}']) {
      const lit = stringLiteral(evil);
      expect(lit.slice(1, -1)).not.toMatch(/['\\](?!x[0-9a-f]{2})/);
      expect(lit.startsWith("'") && lit.endsWith("'")).toBe(true);
    }
  });

  test('every placeholder type we bind', () => {
    const query =
      "SELECT {a:String}, {b:UInt32}, {c:Array(String)}, {d:Nullable(String)}, {e:DateTime64(3, 'UTC')}, {f:Int64}, {g:Float64}, {h:Decimal(38, 4)}";
    expect(
      inlineParams({
        query,
        params: {
          a: 'x',
          b: 5,
          c: ['p', "q'"],
          d: null,
          e: '2025-01-01 00:00:00.000',
          f: '-12',
          g: 0.5,
          h: '-12.3400',
        },
      }),
    ).toBe(
      "SELECT 'x', 5, CAST(['p', 'q\\x27'] AS Array(String)), CAST(NULL AS Nullable(String)), CAST('2025-01-01 00:00:00.000' AS DateTime64(3, 'UTC')), -12, CAST('0.5' AS Float64), CAST('-12.3400' AS Decimal(38, 4))",
    );
  });

  test('refuses what it cannot encode safely', () => {
    expect(() => inlineParams({ query: 'SELECT {a:UInt32}', params: { a: '1; DROP' } })).toThrow(
      /Not a valid UInt32/,
    );
    expect(() => inlineParams({ query: 'SELECT {a:UInt32}', params: { a: -1 } })).toThrow(
      /Not a valid UInt32/,
    );
    expect(() => inlineParams({ query: 'SELECT {a:Map(String, String)}', params: { a: {} } })).toThrow(
      /Cannot inline/,
    );
    expect(() => inlineParams({ query: 'SELECT {a:String}', params: {} })).toThrow(/No value bound/);
    expect(() => inlineParams({ query: 'SELECT {a:Float64}', params: { a: Number.NaN } })).toThrow(/finite/);
    expect(() => inlineParams({ query: 'SELECT {a:Decimal(18, 4)}', params: { a: "1' OR 1" } })).toThrow(
      /Not a valid Decimal/,
    );
    expect(() => inlineParams({ query: 'SELECT {a:Decimal(18, 4)}', params: { a: '1e5' } })).toThrow(
      /Not a valid Decimal/,
    );
  });

  test('text that is not a placeholder is left alone (regex counts, doubled braces)', () => {
    expect(inlineParams({ query: "SELECT match(x, '^[0-9]{1,14}$')", params: {} })).toBe(
      "SELECT match(x, '^[0-9]{1,14}$')",
    );
  });
});
