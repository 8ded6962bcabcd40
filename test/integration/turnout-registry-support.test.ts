import { Readable } from 'node:stream';
import type { KpiRequest, KpiRow } from '../../src/kpi/kpi-types';
import { localBucketKey } from '../support/sales-fixture';
import {
  expectedTurnout,
  expectTurnoutKpi,
  registryCsv,
  turnoutCsv,
  type RegistryRow,
  type TurnoutRow,
} from '../support/turnout-fixture';
import { openTestStack, type TestStack } from '../support/test-stack';

/**
 * Registry support is judged per value, over the rows that value uses: a bucket's participation
 * over its own rows, its cumulative participation over the rows up to its end. Two elections,
 * each with one constituency missing from the registry: in `late` it reports only at 15:00, in
 * `early` only before the report range.
 */
const DAY = new Date('2027-05-01T00:00:00Z');
const at = (hour: number, minute = 10, day = DAY) => new Date(day.getTime() + (hour * 60 + minute) * 60_000);
const row = (electionId: string, constituencyId: string, time: Date, votesCast: number): TurnoutRow => ({
  time,
  electionId,
  constituencyId,
  pollingStationId: 'S1',
  bulletinsIssued: votesCast,
  votesCast,
  anomalies: 0,
});
const PREVIOUS_DAY = new Date('2027-04-30T00:00:00Z');

const rows: TurnoutRow[] = [];
for (const election of ['late', 'early']) {
  for (let hour = 6; hour < 20; hour += 1) {
    rows.push(row(election, 'C01', at(hour), 10 + hour), row(election, 'C02', at(hour, 40), 3 + hour));
  }
  rows.push(row(election, 'C01', at(18, 0, PREVIOUS_DAY), 7));
}
rows.push(row('late', 'C09', at(15), 30), row('late', 'C09', at(15, 45), 12));
rows.push(row('early', 'C10', at(9, 0, PREVIOUS_DAY), 25));
// `many`: more unregistered constituencies than a reason lists, first seen at different hours
// (some before the range): each bucket names the first of those up to its end.
for (let hour = 6; hour < 20; hour += 1)
  rows.push(row('many', 'C01', at(hour), 9), row('many', 'C02', at(hour), 4));
for (let i = 0; i < 30; i += 1) {
  const id = `U${String(29 - i).padStart(2, '0')}`;
  rows.push(row('many', id, i < 5 ? at(20 - i, 5, PREVIOUS_DAY) : at(6 + (i % 13), 20), 1 + i));
}

const registry = (electionId: string): RegistryRow[] => [
  { electionId, constituencyId: 'C01', name: 'One', region: 'North', registeredVoters: 1_000 },
  { electionId, constituencyId: 'C02', name: 'Two', region: 'North', registeredVoters: 800 },
];

let stack: TestStack;

beforeAll(async () => {
  stack = await openTestStack();
  const turnout = await stack.ingest.ingest({
    dataset: 'rs',
    kind: 'turnout',
    body: Readable.from([Buffer.from(turnoutCsv(rows))]),
  });
  expect(turnout).toMatchObject({ status: 'LOADED', rowsLoaded: rows.length });
  const reg = await stack.ingest.ingest({
    dataset: 'rs-reg',
    kind: 'constituencies',
    body: Readable.from([
      Buffer.from(registryCsv([...registry('late'), ...registry('early'), ...registry('many')])),
    ]),
  });
  expect(reg).toMatchObject({ status: 'LOADED' });
});

afterAll(async () => {
  await stack.close();
});

const KPIS = ['votesCast', 'participationRate', 'cumulativeParticipationRate'];
const constituenciesOf = (list: readonly TurnoutRow[]) => [...new Set(list.map((r) => r.constituencyId))];

function request(electionId: string, to: Date, shape: KpiRequest['shape']): KpiRequest {
  return {
    kind: 'turnout',
    dataset: 'rs',
    election: { electionId, registry: 'rs-reg' },
    range: { from: DAY, to },
    timeZone: 'UTC',
    filters: {},
    kpis: KPIS,
    shape,
  };
}

/** What each KPI of a slice must be, computed from the rows alone. */
function expected(electionId: string, window: readonly TurnoutRow[], end: Date, hours: number) {
  const upToEnd = rows.filter((r) => r.electionId === electionId && r.time < end);
  return expectedTurnout(
    {
      window,
      upToEnd,
      registered: ['C01', 'C02'],
      checked: constituenciesOf(window),
      checkedUpToEnd: constituenciesOf(upToEnd),
      hours,
    },
    registry(electionId),
  );
}

function check(actual: KpiRow, want: ReturnType<typeof expected>, where: string): void {
  for (const id of KPIS) {
    const value = actual.kpis[id];
    if (!value) throw new Error(`${where}: ${id} missing`);
    expectTurnoutKpi(
      {
        value: value.value,
        unavailable: value.unavailable && {
          reason: value.unavailable.reason,
          missingKeys: [...value.unavailable.missingKeys],
        },
      },
      want[id] ?? { reason: 'unexpected KPI' },
      `${where}.${id}`,
    );
  }
}

describe('registry support per bucket in a turnout series', () => {
  const ends = [new Date('2027-05-01T12:00:00Z'), new Date('2027-05-02T00:00:00Z')];

  test.each(['late', 'early', 'many'])(
    '%s: every hourly bucket depends only on its own rows (and, cumulative, the rows up to its end)',
    async (electionId) => {
      for (const to of ends) {
        const answer = await stack.kpi.answer(request(electionId, to, { type: 'series', grain: 'HOUR' }));
        const inRange = rows.filter((r) => r.electionId === electionId && r.time >= DAY && r.time < to);
        const byHour = new Map<string, TurnoutRow[]>();
        for (const r of inRange) {
          const key = localBucketKey(r.time, 'HOUR', 'UTC');
          byHour.set(key, [...(byHour.get(key) ?? []), r]);
        }
        expect(answer.rows.map((r) => localBucketKey(r.bucketStart!, 'HOUR', 'UTC'))).toEqual(
          [...byHour.keys()].sort(),
        );
        for (const bucket of answer.rows) {
          const window = byHour.get(localBucketKey(bucket.bucketStart!, 'HOUR', 'UTC')) ?? [];
          check(
            bucket,
            expected(electionId, window, bucket.bucketEnd!, 1),
            `${electionId} ${bucket.bucketStart?.toISOString()} (to ${to.toISOString()})`,
          );
        }
      }
    },
  );

  test('the 06:00 bucket has the same answer whether the range ends at noon or at midnight', async () => {
    const sixOf = async (to: Date) =>
      (await stack.kpi.answer(request('late', to, { type: 'series', grain: 'HOUR' }))).rows.find(
        (r) => r.bucketStart?.getTime() === at(6, 0).getTime(),
      )?.kpis;
    const [noon, midnight] = await Promise.all(ends.map(sixOf));
    expect(noon?.participationRate?.value).toBeCloseTo(((10 + 6 + 3 + 6) / 1800) * 100, 9);
    expect(midnight).toEqual(noon);
  });

  test.each(['late', 'early', 'many'])(
    '%s: totals judge participation over the range, cumulative participation up to its end',
    async (electionId) => {
      for (const to of ends) {
        const answer = await stack.kpi.answer(request(electionId, to, { type: 'totals' }));
        const window = rows.filter((r) => r.electionId === electionId && r.time >= DAY && r.time < to);
        const hours = (to.getTime() - DAY.getTime()) / 3_600_000;
        check(
          answer.rows[0]!,
          expected(electionId, window, to, hours),
          `${electionId} totals to ${to.toISOString()}`,
        );
      }
    },
  );
});
