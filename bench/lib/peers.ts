import fs from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import pl from 'nodejs-polars';
import { DATA_FROM, DATA_TO } from './data';
import { SHAPES, type Answer, type ShapeName } from './queries';

/**
 * What a user would pick instead of the gateway, answering the same dashboard queries from the
 * raw rows on every request: Polars (the earlier system's approach; a DataFrame already in memory
 * as its best case, and a lazy scan of the CSV) and DuckDB (over the CSV and over a Parquet copy).
 * Every peer returns per-group sums in integer cents; one function turns them into KPIs.
 */
export interface Peer {
  readonly name: string;
  ask(shape: ShapeName): Promise<Answer[]>;
}

interface GroupSums {
  key: string;
  gross: number;
  returns: number;
  cost: number;
  units: number;
  unitsReturned: number;
  n: number;
  lineItems: number;
}

/** The sums-only dashboard KPIs, with the gateway's formulas (money from exact cents). */
function toAnswer(s: GroupSums): Answer {
  const money = (cents: number) => cents / 100;
  return {
    key: s.key,
    kpis: {
      totalRevenue: money(s.gross),
      returnsValue: money(s.returns),
      netSales: money(s.gross + s.returns),
      returnRate: -money(s.returns) / money(s.gross),
      totalCost: money(s.cost),
      grossProfit: money(s.gross - s.cost),
      grossMargin: money(s.gross - s.cost) / money(s.gross),
      unitsSold: s.units,
      unitsReturned: s.unitsReturned,
      netUnitsSold: s.units + s.unitsReturned,
      transactions: s.n,
      lineItems: s.lineItems,
      averageTransaction: money(s.gross) / s.n,
    },
  };
}

/** Row objects (numbers or bigints) → answers, breakdowns ranked like the gateway's (top 10 by net sales). */
function answers(shape: ShapeName, rows: Array<Record<string, unknown>>): Answer[] {
  const sums = rows.map((r) => {
    const num = (k: string) => Number(r[k]);
    const key =
      shape === 'totals'
        ? 'total'
        : shape === 'daily series (90 d)'
          ? `${String(r.key)}T00:00:00.000Z`
          : String(r.key);
    return {
      key,
      gross: num('gross'),
      returns: num('returns'),
      cost: num('cost'),
      units: num('units'),
      unitsReturned: num('unitsReturned'),
      n: num('n'),
      lineItems: num('lineItems'),
    };
  });
  if (SHAPES[shape].type === 'breakdown')
    sums.sort((a, b) => b.gross + b.returns - (a.gross + a.returns)).splice(10);
  return sums.map(toAnswer);
}

// Times are ISO strings with a Z: compared as text, and a day is the first 10 characters.
const FROM = DATA_FROM.toISOString().replace('.000Z', 'Z');
const TO = DATA_TO.toISOString().replace('.000Z', 'Z');

const POLARS_SCHEMA = {
  __time: pl.Utf8,
  ProductLine: pl.Utf8,
  ItemGroup: pl.Utf8,
  Branch: pl.Utf8,
  SalesPerson: pl.Utf8,
  AcctName: pl.Utf8,
  ItemName: pl.Utf8,
  CardName: pl.Utf8,
  grossRevenue: pl.Float64,
  returnsValue: pl.Float64,
  unitsSold: pl.Int64,
  unitsReturned: pl.Int64,
  totalCost: pl.Float64,
  lineItemCount: pl.Int64,
};

/** Money as exact integer cents (the files carry at most 2 decimals), never summed as floats. */
function polarsPrepared(frame: pl.LazyDataFrame): pl.LazyDataFrame {
  const cents = (c: string, as: string) => pl.col(c).mul(100).round(0).cast(pl.Int64).alias(as);
  return frame.select(
    pl.col('__time'),
    pl.col('Branch'),
    cents('grossRevenue', 'gross'),
    cents('returnsValue', 'returns'),
    cents('totalCost', 'cost'),
    pl.col('unitsSold'),
    pl.col('unitsReturned'),
    pl.col('lineItemCount'),
  );
}

async function polarsAsk(frame: pl.LazyDataFrame, shape: ShapeName): Promise<Answer[]> {
  const aggs = [
    pl.col('gross').sum().alias('gross'),
    pl.col('returns').sum().alias('returns'),
    pl.col('cost').sum().alias('cost'),
    pl.col('unitsSold').sum().alias('units'),
    pl.col('unitsReturned').sum().alias('unitsReturned'),
    pl.col('gross').count().alias('n'),
    pl.col('lineItemCount').sum().alias('lineItems'),
  ];
  const inRange = frame.filter(
    pl
      .col('__time')
      .gtEq(pl.lit(FROM))
      .and(pl.col('__time').lt(pl.lit(TO))),
  );
  const type = SHAPES[shape].type;
  const planned =
    type === 'totals'
      ? inRange.select(...aggs)
      : inRange
          .groupBy(
            type === 'series'
              ? pl.col('__time').str.slice(0, 10).alias('key')
              : pl.col('Branch').alias('key'),
          )
          .agg(...aggs);
  const result = await planned.collect();
  return answers(shape, result.toRecords() as Array<Record<string, unknown>>);
}

/** Best case for Polars: the file already parsed and prepared in memory; each request only aggregates. */
export function polarsInMemory(file: string): Peer {
  const frame = polarsPrepared(pl.readCSV(file, { schema: POLARS_SCHEMA }).lazy()).collectSync();
  return { name: 'Polars, DataFrame in memory', ask: (shape) => polarsAsk(frame.lazy(), shape) };
}

export function polarsLazyScan(file: string): Peer {
  return {
    name: 'Polars, lazy scan of the CSV',
    ask: (shape) => polarsAsk(polarsPrepared(pl.scanCSV(file, { schema: POLARS_SCHEMA })), shape),
  };
}

const DUCKDB_COLUMNS = `{'__time': 'VARCHAR', 'ProductLine': 'VARCHAR', 'ItemGroup': 'VARCHAR', 'Branch': 'VARCHAR', 'SalesPerson': 'VARCHAR', 'AcctName': 'VARCHAR', 'ItemName': 'VARCHAR', 'CardName': 'VARCHAR',
  'grossRevenue': 'DECIMAL(18,4)', 'returnsValue': 'DECIMAL(18,4)', 'unitsSold': 'BIGINT', 'unitsReturned': 'BIGINT', 'totalCost': 'DECIMAL(18,4)', 'lineItemCount': 'BIGINT'}`;
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** DuckDB over the CSV and over a Parquet copy (written once, reused), Decimal money as in the gateway. */
export async function duckdbPeers(
  csv: string,
  parquet: string,
): Promise<{ csv: Peer; parquet: Peer; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const csvSource = `read_csv(${quote(csv)}, header = true, columns = ${DUCKDB_COLUMNS})`;
  if (!fs.existsSync(parquet)) {
    await connection.run(`COPY (SELECT * FROM ${csvSource}) TO ${quote(`${parquet}.tmp`)} (FORMAT parquet)`);
    fs.renameSync(`${parquet}.tmp`, parquet);
  }
  const ask = async (source: string, shape: ShapeName) => {
    const type = SHAPES[shape].type;
    const key =
      type === 'totals' ? '' : type === 'series' ? 'substr(__time, 1, 10) AS key, ' : 'Branch AS key, ';
    const cents = (c: string) => `CAST(sum(${c}) * 100 AS BIGINT)`;
    const reader = await connection.runAndReadAll(
      `SELECT ${key}${cents('grossRevenue')} AS gross, ${cents('returnsValue')} AS returns, ${cents('totalCost')} AS cost, sum(unitsSold) AS units, sum(unitsReturned) AS "unitsReturned",
        count(*) AS n, sum(lineItemCount) AS "lineItems" FROM ${source} WHERE __time >= ${quote(FROM)} AND __time < ${quote(TO)}${key ? ' GROUP BY ALL' : ''}`,
    );
    return answers(shape, reader.getRowObjectsJS() as Array<Record<string, unknown>>);
  };
  return {
    csv: { name: 'DuckDB over the CSV', ask: (shape) => ask(csvSource, shape) },
    parquet: { name: 'DuckDB over Parquet', ask: (shape) => ask(`read_parquet(${quote(parquet)})`, shape) },
    close: () => connection.closeSync(),
  };
}
