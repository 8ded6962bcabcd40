import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from '@clickhouse/client';
import type { Upload } from '../../src/datasets/upload';
import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { mapHeaders } from '../../src/ingest/header-mapping';
import { buildLoadStatement, loadSettings } from '../../src/ingest/load-statement';
import { UploadLedger } from '../../src/ingest/upload-ledger';
import { LEDGER_ROW } from '../../src/ingest/upload-ledger-row';
import { param, sql, trustedTable } from '../../src/warehouse/sql';
import { Warehouse } from '../../src/warehouse/warehouse';

/**
 * The HTTP transport's parameter path, end to end on the client side: `@clickhouse/client`'s real
 * HTTP code (createClient with a url) sends our statements to a small local server that records
 * each request and answers as ClickHouse does for a trivial result. The embedded transport's
 * literals are covered by a round-trip property on chDB (warehouse.test.ts); no ClickHouse server
 * that binds `{name:Type}` parameters runs on these machines (Debian's is 18.16, older than query
 * parameters), so the honest check of this path is the exact request the client sends: the query
 * text with its placeholders in the body and each value as `param_pN` in the query string.
 */
interface Recorded {
  readonly body: string;
  readonly params: Record<string, string>;
  readonly settings: Record<string, string>;
}

const requests: Recorded[] = [];
let server: http.Server;
let warehouse: Warehouse;

const EMPTY_JSON_RESULT = JSON.stringify({
  meta: [],
  data: [],
  rows: 0,
  statistics: { elapsed: 0.000_1, rows_read: 0, bytes_read: 0 },
});

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://clickhouse.local');
      const params: Record<string, string> = {};
      const settings: Record<string, string> = {};
      for (const [name, value] of url.searchParams) {
        if (name.startsWith('param_')) params[name.slice('param_'.length)] = value;
        else settings[name] = value;
      }
      requests.push({ body: Buffer.concat(chunks).toString('utf8'), params, settings });
      res.writeHead(200, {
        'content-type': 'application/json; charset=UTF-8',
        'x-clickhouse-summary': '{"read_rows":"0","read_bytes":"0","written_rows":"0"}',
      });
      res.end(/FORMAT JSON\s*$/.test(Buffer.concat(chunks).toString('utf8')) ? EMPTY_JSON_RESULT : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = createClient({ url: `http://127.0.0.1:${port}`, username: 'default', password: '' });
  warehouse = new Warehouse([client], 'kpi', 'server');
});

afterAll(async () => {
  await warehouse.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests.length = 0;
});

const upload: Upload = {
  id: 'u-1',
  dataset: "o'brien-sales",
  kind: 'sales',
  objectKey: "uploads/o'brien-sales/u-1.csv",
  status: 'REJECTED',
  mode: 'APPEND',
  maxBadRows: 0,
  bytes: 1234,
  sha256: 'ab'.repeat(32),
  rowsLoaded: 0,
  rowsRejected: 2,
  header: ['__time', 'gross\tRevenue', "it's"],
  columns: ['time'],
  completeColumns: null,
  ignoredColumns: ["it's"],
  errorCode: 'BAD_HEADER',
  errorMessage: 'line 1:\nmissing grossRevenue \\ here',
  rowErrorCount: 1,
  rowErrors: [{ line: 1, record: null, column: null, reason: 'missing', value: null }],
  duplicateOf: null,
  replaces: null,
  replacedBy: null,
  attempts: 2,
  createdAt: new Date('2025-01-02T03:04:05.678Z'),
  receivedAt: new Date('2025-01-02T03:04:06.000Z'),
  finishedAt: null,
  receiveMs: 321.6,
  loadMs: 0,
};

describe('statements over the HTTP transport bind as ClickHouse server parameters', () => {
  test('a ledger insert sends its 29 columns as typed placeholders and each value as param_pN', async () => {
    await new UploadLedger(warehouse).save(upload);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    const columns = Object.keys(LEDGER_ROW);
    expect(columns).toHaveLength(29);
    expect(request?.body).toBe(
      `INSERT INTO kpi.uploads (${columns.join(', ')}, version) VALUES (${columns
        .map((name, i) => `{p${i}:${LEDGER_ROW[name as keyof typeof LEDGER_ROW].type}}`)
        .join(', ')}, {p29:UInt64})`,
    );
    const { p29: version, ...values } = request?.params ?? {};
    expect(Number(version)).toBeGreaterThan(Date.now() * 1000 - 60e6);
    expect(values).toEqual({
      p0: 'u-1',
      p1: "o\\'brien-sales",
      p2: 'sales',
      p3: "uploads/o\\'brien-sales/u-1.csv",
      p4: 'REJECTED',
      p5: '1234',
      p6: 'ab'.repeat(32),
      p7: '0',
      p8: '2',
      p9: "['time']",
      p10: "['it\\'s']",
      p11: '[]',
      p12: '0',
      p13: 'BAD_HEADER',
      p14: 'line 1:\\nmissing grossRevenue \\\\ here',
      p15: '2025-01-02 03:04:05.678',
      p16: '2025-01-02 03:04:06.000',
      p17: '\\N',
      p18: '322',
      p19: '0',
      p20: 'APPEND',
      p21: '0',
      p22: '\\N',
      p23: '\\N',
      p24: '\\N',
      p25: '2',
      p26: "['__time','gross\\tRevenue','it\\'s']",
      p27: '1',
      p28: JSON.stringify(upload.rowErrors),
    });
  });

  test('a KPI-like query binds Decimal, DateTime and Array values with their types, nested fragments renumbered', async () => {
    const branches = ['Nairobi', "Mombasa's"];
    const filter = sql`branch IN ${param(branches, 'Array(String)')}`;
    const query = sql`SELECT sum(grossRevenue) AS revenue FROM ${trustedTable('kpi', 'sales_raw')}
      WHERE dataset = ${'acme'} AND time >= ${param('2025-01-01 00:00:00', "DateTime('UTC')")}
        AND time < ${new Date('2025-02-01T00:00:00.250Z')} AND ${filter}
      HAVING revenue > ${param('1000.50', 'Decimal(18, 4)')} LIMIT ${param(10, 'UInt32')}`;
    const result = await warehouse.query(query, { settings: { max_execution_time: 5 } });
    expect(result.rows).toEqual([]);
    const [request] = requests;
    expect(request?.body.replace(/\s+/g, ' ')).toBe(
      "SELECT sum(grossRevenue) AS revenue FROM kpi.sales_raw WHERE dataset = {p0:String} AND time >= {p1:DateTime('UTC')} AND time < {p2:DateTime64(3, 'UTC')} AND branch IN {p3:Array(String)} HAVING revenue > {p4:Decimal(18, 4)} LIMIT {p5:UInt32} FORMAT JSON",
    );
    expect(request?.params).toEqual({
      p0: 'acme',
      p1: '2025-01-01 00:00:00',
      p2: '1738368000.250',
      p3: "['Nairobi','Mombasa\\'s']",
      p4: '1000.50',
      p5: '10',
    });
    // Results come back exact (decimals and 64-bit integers quoted), and per-query settings ride along.
    expect(request?.settings).toMatchObject({
      output_format_json_quote_decimals: '1',
      output_format_json_quote_64bit_integers: '1',
      max_execution_time: '5',
    });
  });

  test('a load statement sends the object URL, its keys, reasons and patterns as parameters only', async () => {
    const mapped = mapHeaders(['__time', 'grossRevenue', 'notes'], DATASET_KINDS.sales);
    if (!mapped.ok) throw new Error('mapping');
    const source = { url: "http://s3:9000/b/uploads/x'y.csv", accessKeyId: 'AK', secretAccessKey: "S'K" };
    const statement = buildLoadStatement({
      database: 'kpi',
      kind: DATASET_KINDS.sales,
      layout: { mapping: mapped.mapping },
      dataset: 'acme',
      uploadId: 'u-9',
      source,
      strict: true,
    });
    await warehouse.command(statement, { settings: loadSettings(100) });
    const [request] = requests;
    const compiled = statement.compile();
    expect(request?.body).toBe(compiled.query);
    for (const secret of ["S'K", "x'y", 'is not a decimal', '[0-9]', 'acme'])
      expect(request?.body).not.toContain(secret);
    expect(Object.keys(request?.params ?? {}).sort()).toEqual(Object.keys(compiled.params).sort());
    expect(request?.params).toMatchObject({ p0: 'acme', p1: 'u-9' });
    expect(Object.values(request?.params ?? {})).toEqual(
      expect.arrayContaining([
        "http://s3:9000/b/uploads/x\\'y.csv",
        "S\\'K",
        'The file has rows that are not valid',
      ]),
    );
    expect(request?.settings).toMatchObject({
      input_format_csv_allow_variable_number_of_columns: '1',
      insert_deduplicate: '0',
    });
  });
});
