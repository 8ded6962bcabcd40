import { Readable } from 'node:stream';
import { compileKpiQuery } from '../../src/kpi/planning/kpi-planner';
import type { KpiRequest } from '../../src/kpi/kpi-types';
import {
  ELECTION,
  generateRegistry,
  generateTurnoutRows,
  registryCsv,
  TURNOUT_KPI_IDS,
  turnoutCsv,
} from '../support/turnout-fixture';
import { sql, trustedTable } from '../../src/warehouse/sql';
import { openTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
const FROM = new Date('2027-04-28T00:00:00Z');
const TO = new Date('2027-05-03T00:00:00Z');

beforeAll(async () => {
  stack = await openTestStack();
  const rows = generateTurnoutRows({
    seed: 5,
    rows: 2000,
    from: new Date('2027-04-26T00:00:00Z'),
    hours: 24 * 8,
  });
  const turnout = await stack.ingest.ingest({
    dataset: 'tp',
    kind: 'turnout',
    body: Readable.from([Buffer.from(turnoutCsv(rows))]),
  });
  expect(turnout).toMatchObject({ status: 'LOADED', rowsLoaded: rows.length });
  const registry = await stack.ingest.ingest({
    dataset: 'tp-reg',
    kind: 'constituencies',
    body: Readable.from([Buffer.from(registryCsv(generateRegistry()))]),
  });
  expect(registry).toMatchObject({ status: 'LOADED' });
});

afterAll(async () => {
  await stack.close();
});

const request = (
  shape: KpiRequest['shape'],
  filters: KpiRequest['filters'] = {},
  timeZone = 'UTC',
): KpiRequest => ({
  kind: 'turnout',
  dataset: 'tp',
  election: { electionId: ELECTION, registry: 'tp-reg' },
  range: { from: FROM, to: TO },
  timeZone,
  filters,
  kpis: shape.type === 'hourOfDay' ? ['votesCast', 'transactions', 'uniquePollingStations'] : TURNOUT_KPI_IDS,
  shape,
});

describe('turnout planner SQL on the real engine', () => {
  test.each([
    ['totals', request({ type: 'totals' })],
    ['totals filtered by region', request({ type: 'totals' }, { region: ['East', 'North'] })],
    ['hourly series', request({ type: 'series', grain: 'HOUR' })],
    ['daily series in Europe/Berlin', request({ type: 'series', grain: 'DAY' }, {}, 'Europe/Berlin')],
    ['monthly series', request({ type: 'series', grain: 'MONTH' }, { constituencyId: ['C01', 'C05'] })],
    [
      'breakdown by constituency',
      request({
        type: 'breakdown',
        by: 'constituencyId',
        top: 500,
        orderBy: 'participationRate',
        direction: 'DESC',
      }),
    ],
    [
      'breakdown by region',
      request({ type: 'breakdown', by: 'region', top: 10, orderBy: 'votesCast', direction: 'DESC' }),
    ],
    ['hour of day in Asia/Tokyo', request({ type: 'hourOfDay' }, {}, 'Asia/Tokyo')],
  ])('%s: the hourly rollup and the raw table give identical rows', async (_what, req) => {
    const run = async (source: 'hourly' | 'raw') =>
      (
        await stack.warehouse.query(
          compileKpiQuery(req, {
            database: stack.warehouse.database,
            hiddenUploads: [],
            source,
          }).fragment,
        )
      ).rows;
    const [rollup, raw] = await Promise.all([run('hourly'), run('raw')]);
    expect(rollup.length).toBeGreaterThan(0);
    expect(rollup).toEqual(raw);
  });
});

describe('registry ingest', () => {
  test('a rejected registry upload (a kind without a rollup) is removed and leaves the earlier rows', async () => {
    const bad = await stack.ingest.ingest({
      dataset: 'tp-reg',
      body: Readable.from([
        Buffer.from('election_id,constituency_id,registered_voters\nge-2027,C01,12\nge-2027,C02,lots\n'),
      ]),
    });
    expect(bad).toMatchObject({ status: 'REJECTED', errorCode: 'INVALID_DATA' });
    const { rows } = await stack.warehouse.query<{ uploads: string; n: string }>(
      sql`SELECT uniqExact(upload_id) AS uploads, countIf(upload_id = ${bad.id}) AS n
          FROM ${trustedTable(stack.warehouse.database, 'constituencies_raw')} WHERE dataset = 'tp-reg'`,
    );
    expect(rows[0]).toEqual({ uploads: '1', n: '0' });
  });
});
