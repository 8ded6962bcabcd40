import { Readable } from 'node:stream';
import Keyv from 'keyv';
import { KpiCache } from '../../src/cache/kpi-cache';
import { KpiService } from '../../src/kpi/kpi-service';
import { graphql as execute } from 'graphql';
import { createContext } from '../../src/graphql/context';
import { gatewaySchema } from '../../src/graphql/schema';
import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { compileKpiQuery } from '../../src/kpi/planning/kpi-planner';
import type { QuerySource } from '../../src/kpi/planning/planner-types';
import { rollupMismatch } from '../../src/kpi/planning/query-source';
import { kpiKind } from '../../src/kpi/definitions/kpi-kinds';
import type { KpiRequest } from '../../src/kpi/kpi-types';
import { SALES_KPIS } from '../../src/kpi/definitions/sales-kpis';
import { sql } from '../../src/warehouse/sql';
import { generateSalesRows, toCsv } from '../support/sales-fixture';
import { writeUploadRows } from '../support/staged-rows';
import { openTestStack, silentLogger, type TestStack } from '../support/test-stack';

let stack: TestStack;
const FROM = new Date('2025-01-01T00:00:00Z');
const TO = new Date('2025-03-01T00:00:00Z');

beforeAll(async () => {
  stack = await openTestStack();
  const rows = generateSalesRows({ seed: 11, rows: 1500, from: FROM, days: 59 });
  const upload = await stack.ingest.ingest({
    dataset: 'kpi',
    kind: 'sales',
    body: Readable.from([Buffer.from(toCsv(rows))]),
  });
  expect(upload.status).toBe('LOADED');
});

afterAll(async () => {
  await stack.close();
});

/** The sums, ratios and counts every sales rollup holds (distinct counts differ per level: kpi-formulas, kpi-properties). */
const rollupKpis = SALES_KPIS.filter((k) => !k.id.startsWith('unique')).map((k) => k.id);
const request = (
  shape: KpiRequest['shape'],
  timeZone = 'UTC',
  range = { from: FROM, to: TO },
  filters: KpiRequest['filters'] = {},
): KpiRequest => ({ kind: 'sales', dataset: 'kpi', range, timeZone, filters, kpis: rollupKpis, shape });
/** Whole hours, not whole days: the daily rollups cannot answer. */
const HOURS = { from: new Date('2025-01-03T05:00:00Z'), to: new Date('2025-02-20T17:00:00Z') };
const PER_DIMENSION = ['branch_h', 'productLine_h', 'itemGroup_h', 'salesPerson_h'];
const HOURLY = ['h1', 'q15', ...PER_DIMENSION];
const ALL = ['d1', ...HOURLY, 'daily'];

describe('planner SQL on the real engine', () => {
  test.each([
    ['totals', request({ type: 'totals' }), ALL],
    [
      'totals filtered by branch',
      request({ type: 'totals' }, 'UTC', { from: FROM, to: TO }, { branch: ['Nairobi', 'Kisumu'] }),
      ['branch_h', 'daily'],
    ],
    [
      'totals filtered by branch and sales person',
      request(
        { type: 'totals' },
        'UTC',
        { from: FROM, to: TO },
        { branch: ['Nairobi'], salesPerson: ['Achieng'] },
      ),
      ['daily'],
    ],
    ['totals over whole hours', request({ type: 'totals' }, 'UTC', HOURS), HOURLY],
    [
      'totals over quarter hours',
      request({ type: 'totals' }, 'UTC', { from: new Date('2025-01-03T05:15:00Z'), to: HOURS.to }),
      ['q15'],
    ],
    ['hourly series', request({ type: 'series', grain: 'HOUR' }), HOURLY],
    ['daily series', request({ type: 'series', grain: 'DAY' }), ALL],
    ['daily series in Europe/Berlin', request({ type: 'series', grain: 'DAY' }, 'Europe/Berlin'), HOURLY],
    ['daily series in Asia/Kolkata', request({ type: 'series', grain: 'DAY' }, 'Asia/Kolkata'), ['q15']],
    [
      'weekly series in Asia/Kathmandu',
      request({ type: 'series', grain: 'WEEK' }, 'Asia/Kathmandu'),
      ['q15'],
    ],
    [
      'daily series in Europe/London (GMT all along)',
      request({ type: 'series', grain: 'DAY' }, 'Europe/London'),
      ALL,
    ],
    ['weekly series', request({ type: 'series', grain: 'WEEK' }), ALL],
    ['monthly series', request({ type: 'series', grain: 'MONTH' }), ALL],
    [
      'monthly series in America/Sao_Paulo',
      request({ type: 'series', grain: 'MONTH' }, 'America/Sao_Paulo'),
      HOURLY,
    ],
    [
      'breakdown by salesPerson',
      request({ type: 'breakdown', by: 'salesPerson', top: 10, orderBy: 'grossMargin', direction: 'DESC' }),
      ['salesPerson_h', 'daily'],
    ],
    [
      'breakdown by branch over whole hours',
      request(
        { type: 'breakdown', by: 'branch', top: 10, orderBy: 'netSales', direction: 'DESC' },
        'UTC',
        HOURS,
      ),
      ['branch_h'],
    ],
    [
      'breakdown by branch filtered by product line',
      request(
        { type: 'breakdown', by: 'branch', top: 10, orderBy: 'netSales', direction: 'DESC' },
        'UTC',
        { from: FROM, to: TO },
        { productLine: ['Food'] },
      ),
      ['daily'],
    ],
  ])("%s: every rollup that can answer gives the raw table's rows", async (_what, req, rollups) => {
    const registry = kpiKind('sales');
    const measures = compileKpiQuery(req, {
      database: stack.warehouse.database,
      hiddenUploads: [],
      source: 'raw',
    }).measures;
    const answering = DATASET_KINDS.sales.rollups
      .filter((level) => rollupMismatch(req, registry, measures, level) === null)
      .map((level) => level.grain);
    expect(answering).toEqual(rollups);
    expect(compileKpiQuery(req, { database: stack.warehouse.database, hiddenUploads: [] }).source).toBe(
      rollups[0],
    );
    const run = async (source: QuerySource) =>
      (
        await stack.warehouse.query(
          compileKpiQuery(req, { database: stack.warehouse.database, hiddenUploads: [], source }).fragment,
        )
      ).rows;
    const raw = await run('raw');
    expect(raw.length).toBeGreaterThan(0);
    for (const source of answering)
      expect({ source, rows: await run(source) }).toEqual({ source, rows: raw });
  });
});

describe('KPI service', () => {
  test('the cache answers a repeated request, and a finished upload is never hidden behind it', async () => {
    const req = request({ type: 'totals' });
    const first = await stack.kpi.answer(req);
    const second = await stack.kpi.answer(req);
    expect([first.cacheHit, second.cacheHit]).toEqual([false, true]);
    expect(second.rows).toEqual(first.rows);

    const extra = await stack.ingest.ingest({
      dataset: 'kpi',
      body: Readable.from([Buffer.from('time,grossRevenue\n2025-01-15T10:00:00Z,1000.01\n')]),
    });
    expect(extra.status).toBe('LOADED');
    const after = await stack.kpi.answer(req);
    expect(after.cacheHit).toBe(false);
    // Two visibility changes: the upload started loading (its rows hidden), then finished.
    expect(after.dataVersion).toBe(first.dataVersion + 2);
    expect(after.rows[0]?.kpis.transactions?.value).toBe(
      (first.rows[0]?.kpis.transactions?.value ?? NaN) + 1,
    );
    expect(after.rows[0]?.kpis.totalRevenue?.value).toBeCloseTo(
      (first.rows[0]?.kpis.totalRevenue?.value ?? NaN) + 1000.01,
      2,
    );
    // The new upload lacks returnsValue: netSales is no longer supported by every row.
    expect(after.rows[0]?.kpis.netSales?.unavailable?.reason).toBe('PARTIAL_COVERAGE');
  });

  test('rows of an upload that is still loading are not read', async () => {
    const [loaded] = await stack.ledger.all();
    if (!loaded) throw new Error('The fixture upload is not in the ledger');
    const hidden = { ...loaded, id: 'in-flight', status: 'LOADING' as const };
    await stack.catalog.apply(hidden);
    await writeUploadRows(
      stack.warehouse,
      { kind: 'sales', dataset: 'kpi', id: 'in-flight' },
      (stage) => sql`INSERT INTO ${stage} (dataset, upload_id, time, grossRevenue)
          VALUES ('kpi', 'in-flight', '2025-01-02 00:00:00', 5)`,
    );
    const req = { ...request({ type: 'totals' }), kpis: ['transactions'] };
    const visible = (await stack.kpi.answer(req)).rows[0]?.kpis.transactions?.value;
    await stack.catalog.apply({ ...hidden, status: 'LOADED', rowsLoaded: 1 });
    expect((await stack.kpi.answer(req)).rows[0]?.kpis.transactions?.value).toBe((visible ?? NaN) + 1);
  });

  test('one warehouse query per distinct slice in an operation (DataLoader)', async () => {
    const statements: string[] = [];
    const stop = stack.warehouse.onQuery((event) => statements.push(event.query));
    const cards = [
      'totalRevenue',
      'netSales',
      'grossMargin',
      'transactions',
      'unitsSold',
      'averageTransaction',
    ]
      .map((kpi, i) => `card${i}: sales(dataset: "kpi", range: $r) { totals { ${kpi} { value } } }`)
      .join('\n');
    const tables = [1, 2, 3]
      .map(
        (i) =>
          `t${i}: sales(dataset: "kpi", range: $r) { breakdown(by: BRANCH, top: 5) { key kpis { netSales { value } } } }`,
      )
      .join('\n');
    const result = await execute({
      schema: gatewaySchema(),
      source: `query($r: TimeRangeInput!) { ${cards} ${tables} }`,
      variableValues: { r: { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' } },
      contextValue: createContext(
        { directory: stack.catalog, kpi: stack.kpi, ledger: stack.ledger, ingest: stack.ingest },
        'test',
      ),
    });
    stop();
    expect(result.errors).toBeUndefined();
    expect(statements).toHaveLength(2);
    expect(Object.keys(result.data!)).toHaveLength(9);
  });
});

describe('KPI cards per dimension value', () => {
  test('totals for each branch as aliased cards are one grouped query, equal to each branch asked alone', async () => {
    const branches = ['Nairobi', 'Mombasa', 'Kisumu', 'Nakuru', 'Eldoret', 'Atlantis'];
    const kpis =
      'netSales { value unavailable { reason } } grossMargin { value } transactions { value unavailable { reason } } uniqueCustomers { value }';
    const cards = branches
      .map(
        (b, i) =>
          `c${i}: sales(dataset: "kpi", range: $r, filter: { branch: ["${b}"] }) { totals { ${kpis} } }`,
      )
      .join('\n');
    const run = async (source: string) => {
      const statements: string[] = [];
      const stop = stack.warehouse.onQuery((event) => statements.push(event.query));
      const result = await execute({
        schema: gatewaySchema(),
        source,
        variableValues: { r: { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' } },
        contextValue: createContext(
          { directory: stack.catalog, kpi: stack.kpi, ledger: stack.ledger, ingest: stack.ingest },
          'test',
        ),
      });
      stop();
      expect(result.errors).toBeUndefined();
      return { data: result.data as Record<string, any>, statements };
    };
    const together = await run(`query($r: TimeRangeInput!) { ${cards} }`);
    expect(together.statements).toHaveLength(1);
    expect(together.statements[0]).toContain('GROUP BY g_key');
    for (const [i, branch] of branches.entries()) {
      const alone = await run(
        `query($r: TimeRangeInput!) { c${i}: sales(dataset: "kpi", range: $r, filter: { branch: ["${branch}"] }) { totals { ${kpis} } } }`,
      );
      expect(alone.statements.length).toBeLessThanOrEqual(1);
      expect(together.data[`c${i}`]).toEqual(alone.data[`c${i}`]);
    }
    expect(together.data.c5.totals.transactions).toEqual({ value: null, unavailable: { reason: 'NO_DATA' } });
    expect(together.data.c0.totals.transactions.value).toBeGreaterThan(0);
  });
});

describe('coverage known from the loads', () => {
  const ask = (from: string, to: string): KpiRequest => ({
    kind: 'sales',
    dataset: 'cover',
    range: { from: new Date(from), to: new Date(to) },
    timeZone: 'UTC',
    filters: {},
    kpis: ['netSales'],
    shape: { type: 'totals' },
  });
  const statementsOf = async (work: () => Promise<unknown>): Promise<string[]> => {
    const statements: string[] = [];
    const stop = stack.warehouse.onQuery((event) => statements.push(event.query));
    try {
      await work();
    } finally {
      stop();
    }
    return statements;
  };

  test('a column every row of every visible upload carries is not counted per query; one empty cell brings the count back', async () => {
    const full = await stack.ingest.ingest({
      dataset: 'cover',
      kind: 'sales',
      body: Readable.from([
        Buffer.from(
          'time,grossRevenue,returnsValue,branch\n2025-01-01T10:00:00Z,100.10,-0.10,A\n2025-01-01T11:00:00Z,50,-5,\n',
        ),
      ]),
    });
    expect(full).toMatchObject({ status: 'LOADED', completeColumns: ['returnsValue'] });
    expect(stack.catalog.get('cover')!.completeColumns).toEqual(new Set(['returnsValue']));
    const day1 = ask('2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z');
    let answer!: Awaited<ReturnType<typeof stack.kpi.answer>>;
    const counted = await statementsOf(async () => (answer = await stack.kpi.answer(day1)));
    expect(answer.rows[0]?.kpis.netSales).toEqual({ value: 145, unavailable: null });
    expect(counted.join('\n')).not.toContain('returnsValueRows');

    // The second file leaves returnsValue empty on one row: the dataset is no longer complete in it.
    const gappy = await stack.ingest.ingest({
      dataset: 'cover',
      body: Readable.from([
        Buffer.from('time,grossRevenue,returnsValue\n2025-01-02T10:00:00Z,10,-1\n2025-01-02T11:00:00Z,20,\n'),
      ]),
    });
    expect(gappy).toMatchObject({ status: 'LOADED', completeColumns: [] });
    expect(stack.catalog.get('cover')!.completeColumns).toEqual(new Set());
    const recounted = await statementsOf(async () => (answer = await stack.kpi.answer(day1)));
    expect(recounted.join('\n')).toContain('returnsValueRows');
    // Day 1 alone is still fully covered; day 2 is not, and says so.
    expect(answer.rows[0]?.kpis.netSales).toEqual({ value: 145, unavailable: null });
    const day2 = await stack.kpi.answer(ask('2025-01-02T00:00:00Z', '2025-01-03T00:00:00Z'));
    expect(day2.rows[0]?.kpis.netSales).toMatchObject({
      value: null,
      unavailable: { reason: 'PARTIAL_COVERAGE', coverage: 0.5 },
    });
    // The support check (kpiCatalog) follows the same counts.
    const support = await stack.kpi.support(ask('2025-01-02T00:00:00Z', '2025-01-03T00:00:00Z'));
    expect(support.reasons.get('netSales')).toMatchObject({ reason: 'PARTIAL_COVERAGE' });
  });

  test('an upload loaded before complete columns were recorded is counted once at start, in the background', async () => {
    const loaded = await stack.ingest.ingest({
      dataset: 'legacy',
      kind: 'sales',
      body: Readable.from([
        Buffer.from('time,grossRevenue,returnsValue\n2025-01-01T10:00:00Z,100.10,-0.10\n'),
      ]),
    });
    // As an older version left it: loaded, nothing known complete.
    const older = { ...loaded, completeColumns: null };
    await stack.ledger.save(older);
    await stack.catalog.apply(older);
    expect(stack.catalog.get('legacy')!.completeColumns).toEqual(new Set());
    const req = { ...ask('2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z'), dataset: 'legacy' };
    expect((await statementsOf(() => stack.kpi.answer(req))).join('\n')).toContain('returnsValueRows');

    await stack.ingest.recoverInterrupted();
    await stack.ingest.idle();
    expect((await stack.ledger.get(loaded.id))!.completeColumns).toEqual(['returnsValue']);
    expect(stack.catalog.get('legacy')!.completeColumns).toEqual(new Set(['returnsValue']));
    let answer!: Awaited<ReturnType<typeof stack.kpi.answer>>;
    expect((await statementsOf(async () => (answer = await stack.kpi.answer(req)))).join('\n')).not.toContain(
      'returnsValueRows',
    );
    expect(answer.rows[0]?.kpis.netSales).toEqual({ value: 100, unavailable: null });
  });
});

describe('the size rule on a real dataset', () => {
  test('the dataset size is read once per data version; a small dataset reads raw where pieces would not pay, whole buckets stay on their rollup', async () => {
    const sized = new KpiService(
      stack.warehouse,
      stack.catalog,
      new KpiCache(new Keyv({ store: new Map() }), 0, silentLogger),
      {},
    );
    const statements: string[] = [];
    const stop = stack.warehouse.onQuery((event) => statements.push(event.query));
    try {
      const upToNow = { from: FROM, to: new Date('2025-02-27T13:37:21Z') };
      // 1,500 rows over two months: three sub-selects would cost more than one scan of them.
      const answer = await sized.answer({ ...request({ type: 'totals' }), range: upToNow });
      expect(answer.sources).toEqual(['raw']);
      const stitched = await stack.kpi.answer({ ...request({ type: 'totals' }), range: upToNow });
      expect(stitched.sources).toEqual(['d1', 'h1', 'raw']);
      expect(answer.rows).toEqual(stitched.rows);
      // Whole days: the daily rollup, with the distinct states of every unique count.
      const card = await sized.answer({
        ...request({ type: 'totals' }),
        kpis: ['uniqueBranches', 'uniqueCustomers', 'uniqueProducts', 'uniqueSalespeople'],
      });
      expect(card.sources).toEqual(['d1']);
      await sized.answer({ ...request({ type: 'series', grain: 'DAY' }) });
    } finally {
      stop();
    }
    // One read of the size (span and distinct counts from sales_d1) for the three questions.
    expect(statements.filter((q) => q.includes('AS first_bucket'))).toHaveLength(1);
  });
});
