import {
  emptySql,
  joinSql,
  param,
  sql,
  trustedIdentifier,
  trustedSql,
  trustedTable,
} from '../../src/warehouse/sql';
import { inlineParams } from '../../src/warehouse/inline-params';

describe('sql template', () => {
  it('binds every interpolated value as a typed parameter', () => {
    const when = new Date('2025-01-02T03:04:05.006Z');
    const compiled = sql`SELECT ${'x'} , ${42}, ${1.5}, ${true}, ${10n}, ${when}, ${['a', 'b']}`.compile();
    expect(compiled.query).toBe(
      "SELECT {p0:String} , {p1:Int64}, {p2:Float64}, {p3:Bool}, {p4:Int64}, {p5:DateTime64(3, 'UTC')}, {p6:Array(String)}",
    );
    expect(compiled.params).toEqual({
      p0: 'x',
      p1: 42,
      p2: 1.5,
      p3: true,
      p4: 10n,
      p5: when,
      p6: ['a', 'b'],
    });
  });

  it('renumbers nested fragments so their parameters never collide', () => {
    const inner = sql`branch = ${'Nairobi'}`;
    const other = sql`total > ${param('10.50', 'Decimal(18, 2)')}`;
    const compiled = sql`SELECT 1 WHERE ${inner} AND ${other} AND ${inner}`.compile();
    expect(compiled.query).toBe(
      'SELECT 1 WHERE branch = {p0:String} AND total > {p1:Decimal(18, 2)} AND branch = {p2:String}',
    );
    expect(compiled.params).toEqual({ p0: 'Nairobi', p1: '10.50', p2: 'Nairobi' });
  });

  it('keeps hostile strings out of the text: they only ever appear as parameter values', () => {
    const hostile = "x' OR 1=1 --";
    const compiled = sql`SELECT * FROM t WHERE a = ${hostile}`.compile();
    expect(compiled.query).not.toContain(hostile);
    expect(inlineParams(compiled)).toBe("SELECT * FROM t WHERE a = 'x\\x27 OR 1=1 --'");
  });

  it('splices identifiers only when they are plain names', () => {
    expect(
      sql`SELECT ${trustedIdentifier('grossRevenue')} FROM ${trustedTable('kpi', 'sales_raw')}`.compile(),
    ).toEqual({ query: 'SELECT grossRevenue FROM kpi.sales_raw', params: {} });
    expect(() => trustedIdentifier('a; DROP TABLE x')).toThrow(/unsafe SQL identifier/);
    expect(() => trustedIdentifier('`x`')).toThrow(/unsafe SQL identifier/);
  });

  it('joins fragments and treats an empty one as empty', () => {
    const joined = joinSql([sql`a = ${1}`, sql`b = ${2}`, trustedSql('c = 3')], ' AND ');
    expect(joined.compile()).toEqual({
      query: 'a = {p0:Int64} AND b = {p1:Int64} AND c = 3',
      params: { p0: 1, p1: 2 },
    });
    expect(emptySql.isEmpty).toBe(true);
    expect(joinSql([]).isEmpty).toBe(true);
    expect(sql`x`.isEmpty).toBe(false);
  });

  it('refuses values it cannot type and types it does not know', () => {
    expect(() => sql`${Number.NaN}`).toThrow(/Cannot bind/);
    expect(() => sql`${{} as unknown as string}`).toThrow(/Cannot bind/);
    expect(() => param(1, 'Int64; DROP')).toThrow(/Not a ClickHouse type/);
  });
});
