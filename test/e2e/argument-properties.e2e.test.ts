import fc from 'fast-check';
import { generateSalesRows, toCsv } from '../support/sales-fixture';
import {
  ELECTION,
  generateRegistry,
  generateTurnoutRows,
  registryCsv,
  turnoutCsv,
} from '../support/turnout-fixture';
import { startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';

/**
 * Arbitrary strings in every argument of every root field, over HTTP against the built gateway:
 * a caller gets a typed user error or an answer, never INTERNAL or WAREHOUSE_ERROR, and nothing
 * reaches ClickHouse as a syntax error. Real dataset names are mixed in so that hostile values
 * also reach the planner, not only the dataset lookup.
 */
let gateway: GatewayProcess;

beforeAll(async () => {
  // Rates and budgets are tested elsewhere; here they would only stop the run early.
  gateway = await startGatewayProcess({
    RATE_LIMIT_QUERIES_PER_SECOND: '100000',
    RATE_LIMIT_QUERIES_BURST: '100000',
    COST_BUDGET_UNITS: '10000000',
  });
  const sales = generateSalesRows({ seed: 3, rows: 500, from: new Date('2025-01-01T00:00:00Z'), days: 30 });
  const turnout = generateTurnoutRows({
    seed: 3,
    rows: 500,
    from: new Date('2025-01-01T06:00:00Z'),
    hours: 14,
  });
  expect((await upload(gateway.url, 'pa', toCsv(sales))).body.status).toBe('LOADED');
  expect((await upload(gateway.url, 'pt', turnoutCsv(turnout), 'turnout')).body.status).toBe('LOADED');
  expect(
    (await upload(gateway.url, 'pr', registryCsv(generateRegistry()), 'constituencies')).body.status,
  ).toBe('LOADED');
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
});

const HOSTILE = [
  "'",
  "'; DROP TABLE kpi.sales_raw; --",
  '{name:String}',
  '\\',
  '\u0000',
  '`',
  "') OR 1=1 --",
  "UTC'); SELECT 1; --",
  '../../etc/passwd',
  '%s%s%n',
  '9'.repeat(400),
  '\u202e',
  '',
  ' ',
];
/** Strings of every kind, real names and hostile ones. */
const text = (...real: string[]) =>
  fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(...HOSTILE, ...real),
  );
/** Enum and date arguments are not strings in GraphQL: mostly valid, so the strings around them reach the resolvers. */
const mostly = <T>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: other, weight: 1 });
const oneOf = (...values: string[]) => mostly(fc.constantFrom(...values), text());
/** Mostly near the data (a wide random range would mostly meet the series bound), sometimes anywhere. */
const date = mostly(
  fc
    .oneof(
      {
        arbitrary: fc.date({ min: new Date('2024-12-01'), max: new Date('2025-03-01'), noInvalidDate: true }),
        weight: 4,
      },
      {
        arbitrary: fc.date({ min: new Date('1900-01-01'), max: new Date('2300-01-01'), noInvalidDate: true }),
        weight: 1,
      },
    )
    .map((d) => d.toISOString()),
  text('2025-01-01T00:00:00Z'),
);
const list = (...real: string[]) => fc.option(fc.array(text(...real), { maxLength: 8 }), { nil: null });
const int = fc.oneof(fc.integer(), fc.constantFrom(0, 1, 10, 100, 101, -1, 2 ** 31 - 1));

const FIELDS = {
  sales: {
    query: `query ($d: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $tz: String!, $b: [String!], $p: [String!], $i: [String!], $s: [String!], $grain: Grain!, $by: SalesDimension!, $top: Int!, $orderBy: SalesKpiId!, $dir: SortDirection!) {
      sales(dataset: $d, range: { from: $from, to: $to }, timeZone: $tz, filter: { branch: $b, productLine: $p, itemGroup: $i, salesPerson: $s }) {
        timeZone totals { netSales { value } uniqueCustomers { value } }
        series(grain: $grain) { start kpis { totalRevenue { value } } }
        breakdown(by: $by, top: $top, orderBy: $orderBy, direction: $dir) { key kpis { netSales { value share } } }
      } }`,
    variables: fc.record({
      d: mostly(fc.constantFrom('pa'), text('pt')),
      from: date,
      to: date,
      tz: text('UTC', 'utc', 'Europe/Berlin', 'Asia/Kolkata'),
      b: list('Nairobi', 'Mombasa'),
      p: list(),
      i: list(),
      s: list(),
      grain: oneOf('HOUR', 'DAY', 'WEEK', 'MONTH'),
      by: oneOf('BRANCH', 'PRODUCT_LINE', 'ITEM_GROUP', 'SALES_PERSON'),
      top: int,
      orderBy: oneOf('NET_SALES', 'TRANSACTIONS', 'UNIQUE_CUSTOMERS'),
      dir: oneOf('ASC', 'DESC'),
    }),
  },
  turnout: {
    query: `query ($d: ID!, $e: ID!, $r: ID, $from: DateTimeISO!, $to: DateTimeISO!, $tz: String!, $c: [String!], $reg: [String!], $grain: Grain!, $by: TurnoutDimension!, $top: Int!, $orderBy: TurnoutKpiId!, $dir: SortDirection!) {
      turnout(dataset: $d, electionId: $e, registry: $r, range: { from: $from, to: $to }, timeZone: $tz, filter: { constituencyId: $c, region: $reg }) {
        totals { votesCast { value } participationRate { value } }
        series(grain: $grain) { start kpis { votesCast { value } } }
        breakdown(by: $by, top: $top, orderBy: $orderBy, direction: $dir) { key overRegistered }
        activityPattern { hour }
        registryCheck { missingCount }
      } }`,
    variables: fc.record({
      d: mostly(fc.constantFrom('pt'), text('pa')),
      e: mostly(fc.constantFrom(ELECTION), text()),
      r: fc.option(text('pr', 'pt'), { nil: null }),
      from: date,
      to: date,
      tz: text('UTC', 'europe/berlin'),
      c: list('C01', 'C02'),
      reg: list('North', 'South'),
      grain: oneOf('HOUR', 'DAY', 'WEEK', 'MONTH'),
      by: oneOf('CONSTITUENCY', 'REGION'),
      top: int,
      orderBy: oneOf('VOTES_CAST', 'PARTICIPATION_RATE'),
      dir: oneOf('ASC', 'DESC'),
    }),
  },
  kpiCatalog: {
    query: `query ($d: ID, $from: DateTimeISO!, $to: DateTimeISO!) {
      kpiCatalog(dataset: $d, range: { from: $from, to: $to }) { id support { supported } } }`,
    variables: fc.record({ d: fc.option(text('pa', 'pt', 'pr'), { nil: null }), from: date, to: date }),
  },
  upload: {
    query: 'query ($id: ID!) { upload(id: $id) { id status } }',
    variables: fc.record({ id: text('00000000-0000-0000-0000-000000000000') }),
  },
  uploads: {
    query:
      'query ($after: String, $d: ID, $first: Int!, $status: UploadStatus) { uploads(after: $after, dataset: $d, first: $first, status: $status) { nodes { id } pageInfo { hasNextPage } } }',
    variables: fc.record({
      after: fc.option(text('WzEsMl0', 'WzE3MzUwMDAwMDAwMDAsIngiXQ'), { nil: null }),
      d: fc.option(text('pa'), { nil: null }),
      first: int,
      status: fc.option(oneOf('LOADED', 'FAILED'), { nil: null }),
    }),
  },
  datasets: {
    query: 'query ($kind: DatasetKind) { datasets(kind: $kind) { name } }',
    variables: fc.record({ kind: fc.option(oneOf('SALES', 'TURNOUT'), { nil: null }) }),
  },
} as const;

const FORBIDDEN = new Set(['INTERNAL', 'WAREHOUSE_ERROR']);
const RUNS = 300;

describe.each(Object.entries(FIELDS))('arbitrary strings in every argument of %s', (_, field) => {
  test('a typed user error or an answer; never INTERNAL, WAREHOUSE_ERROR or a ClickHouse syntax error', async () => {
    let reachedResolvers = 0;
    await fc.assert(
      fc.asyncProperty(field.variables, async (variables) => {
        const response = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: field.query, variables }),
        });
        const body = (await response.json()) as {
          data?: unknown;
          errors?: Array<{ message: string; path?: unknown; extensions?: { code?: string } }>;
        };
        expect(response.status).toBeLessThan(500);
        if (body.data !== undefined || body.errors?.some((e) => e.path)) reachedResolvers += 1;
        for (const error of body.errors ?? []) {
          expect(FORBIDDEN.has(error.extensions?.code ?? '')).toBe(false);
          expect(error.message).not.toMatch(/SYNTAX_ERROR|Syntax error: failed at position/);
        }
      }),
      { numRuns: RUNS },
    );
    // Enough runs get past variable coercion and the edge's own checks (a wide random range meets
    // the series bound there) for the strings to reach resolvers, planner and ClickHouse.
    expect(reachedResolvers).toBeGreaterThan(RUNS * 0.15);
    const logs = gateway.logs.join('\n');
    expect(logs).not.toMatch(/SYNTAX_ERROR|unexpected error/);
  }, 120_000);
});
