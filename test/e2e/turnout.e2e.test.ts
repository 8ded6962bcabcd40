import { localBucketKey } from '../support/sales-fixture';
import { graphql, startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';
import {
  ANOMALOUS,
  byBucket,
  ELECTION,
  expectedTurnout,
  expectTurnoutKpi,
  generateRegistry,
  generateTurnoutRows,
  OVER_REGISTERED,
  REGIONS,
  registryCsv,
  TURNOUT_KPI_IDS,
  turnoutCsv,
  UNREGISTERED,
  type RegistryRow,
  type TurnoutRow,
} from '../support/turnout-fixture';

const SELECTION = TURNOUT_KPI_IDS.map(
  (id) => `${id} { value unavailable { reason missingKeys message } }`,
).join(' ');
const FROM = new Date('2027-04-28T00:00:00Z');
const TO = new Date('2027-05-03T00:00:00Z');
const HOURS = (TO.getTime() - FROM.getTime()) / 3_600_000;
// Rows start two days before the range (cumulative participation) and run a day past it.
const rows = generateTurnoutRows({
  seed: 7,
  rows: 3000,
  from: new Date('2027-04-26T00:00:00Z'),
  hours: 24 * 8,
});
const firstFile = rows.slice(0, 1800);
// Arrives later but carries times spread over the whole election: late rows.
const lateFile = rows.slice(1800);
const registry = generateRegistry();
const REGISTERED_REGIONS = ['North', 'South', 'East'];

let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess();
  expect(await upload(gateway.url, 'ge-reg', registryCsv(registry), 'constituencies')).toMatchObject({
    status: 201,
    body: { status: 'LOADED', rowsLoaded: registry.length },
  });
  expect(await upload(gateway.url, 'ge', turnoutCsv(firstFile), 'turnout')).toMatchObject({
    status: 201,
    body: { status: 'LOADED', rowsLoaded: firstFile.length },
  });
  expect(await upload(gateway.url, 'ge', turnoutCsv(lateFile), 'turnout')).toMatchObject({
    status: 201,
    body: { status: 'LOADED', rowsLoaded: lateFile.length },
  });
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
});

async function report(body: string, args = '', registryName = 'ge-reg', dataset = 'ge') {
  const result = await graphql(
    gateway.url,
    `query($from: DateTimeISO!, $to: DateTimeISO!) { turnout(dataset: "${dataset}", electionId: "${ELECTION}", registry: "${registryName}", range: { from: $from, to: $to }${args}) { ${body} } }`,
    { from: FROM, to: TO },
  );
  expect(result.errors).toBeUndefined();
  return result;
}

const inScope = (constituencies: readonly string[]) =>
  rows.filter((r) => constituencies.includes(r.constituencyId));
const windowOf = (list: readonly TurnoutRow[]) => list.filter((r) => r.time >= FROM && r.time < TO);
const before = (list: readonly TurnoutRow[], end: Date) => list.filter((r) => r.time < end);
const constituenciesOf = (list: readonly TurnoutRow[]) => [...new Set(list.map((r) => r.constituencyId))];
const ALL = Object.keys(REGIONS);
const REGISTERED = ALL.filter((c) => REGISTERED_REGIONS.includes(REGIONS[c] ?? ''));

function checkAll(
  actual: Record<string, any>,
  expected: ReturnType<typeof expectedTurnout>,
  where: string,
): void {
  for (const id of TURNOUT_KPI_IDS)
    expectTurnoutKpi(actual[id], expected[id] ?? { reason: 'no expectation' }, `${where}.${id}`);
}

function totalsExpected(scope: readonly string[], reg: readonly RegistryRow[] = registry) {
  const scoped = inScope(scope);
  return expectedTurnout(
    {
      window: windowOf(scoped),
      upToEnd: before(scoped, TO),
      registered: scope,
      checked: constituenciesOf(windowOf(scoped)),
      checkedUpToEnd: constituenciesOf(before(scoped, TO)),
      hours: HOURS,
    },
    reg,
  );
}

describe('turnout over HTTP, against an independent computation over the same rows', () => {
  test('totals over every constituency: participation is MISSING_REGISTRY naming the unregistered constituency; the rest is exact', async () => {
    const { data } = await report(
      `totals { ${SELECTION} } registryCheck { registeredVoters missingCount missingConstituencies overRegisteredCount overRegisteredConstituencies }`,
    );
    checkAll(data.turnout.totals, totalsExpected(ALL), 'totals');
    expect(data.turnout.totals.participationRate.unavailable.missingKeys).toEqual([UNREGISTERED]);
    expect(data.turnout.registryCheck).toEqual({
      registeredVoters: registry.reduce((a, r) => a + r.registeredVoters, 0),
      missingCount: 1,
      missingConstituencies: [UNREGISTERED],
      overRegisteredCount: 1,
      overRegisteredConstituencies: [OVER_REGISTERED],
    });
    // The anomalous station is the only source of anomalies.
    const anomalous = windowOf(rows).filter((r) => r.anomalies > 0);
    expect(anomalous.length).toBeGreaterThan(0);
    expect(
      anomalous.every(
        (r) =>
          r.constituencyId === ANOMALOUS.constituencyId && r.pollingStationId === ANOMALOUS.pollingStationId,
      ),
    ).toBe(true);
  });

  test('totals filtered to the registered regions: participation resolves, over 100% not clipped', async () => {
    const { data } = await report(
      `totals { ${SELECTION} }`,
      `, filter: { region: ${JSON.stringify(REGISTERED_REGIONS)} }`,
    );
    checkAll(data.turnout.totals, totalsExpected(REGISTERED), 'registered totals');
    const { data: one } = await report(
      'totals { participationRate { value } cumulativeParticipationRate { value } }',
      `, filter: { constituencyId: ["${OVER_REGISTERED}"] }`,
    );
    expect(one.turnout.totals.cumulativeParticipationRate.value).toBeGreaterThan(100);
  });

  test.each([
    ['HOUR', 'UTC'],
    ['DAY', 'UTC'],
    ['WEEK', 'UTC'],
    ['MONTH', 'UTC'],
    ['DAY', 'Europe/Berlin'],
  ] as const)(
    'series at %s in %s: every bucket, every KPI, cumulative participation up to each bucket end',
    async (grain, zone) => {
      const { data } = await report(
        `series(grain: ${grain}) { start end kpis { ${SELECTION} } }`,
        `, timeZone: "${zone}", filter: { region: ${JSON.stringify(REGISTERED_REGIONS)} }`,
      );
      const scoped = inScope(REGISTERED);
      const expected = byBucket(windowOf(scoped), grain, zone);
      const buckets = data.turnout.series as Array<{ start: string; end: string; kpis: Record<string, any> }>;
      expect(buckets.map((b) => localBucketKey(new Date(b.start), grain, zone))).toEqual(
        [...expected.keys()].sort(),
      );
      for (const bucket of buckets) {
        const start = new Date(bucket.start);
        const end = new Date(bucket.end);
        const clippedEnd = end < TO ? end : TO;
        const hours = (clippedEnd.getTime() - (start > FROM ? start : FROM).getTime()) / 3_600_000;
        const window = expected.get(localBucketKey(start, grain, zone))!;
        const slice = {
          window,
          upToEnd: before(scoped, clippedEnd),
          registered: REGISTERED,
          checked: constituenciesOf(window),
          checkedUpToEnd: constituenciesOf(before(scoped, clippedEnd)),
          hours,
        };
        checkAll(bucket.kpis, expectedTurnout(slice, registry), `${grain} ${zone} ${bucket.start}`);
      }
    },
  );

  test('series over every constituency: participation is MISSING_REGISTRY in each bucket', async () => {
    const { data } = await report(
      'series(grain: DAY) { kpis { participationRate { value unavailable { reason missingKeys } } cumulativeParticipationRate { value unavailable { reason } } } }',
    );
    for (const bucket of data.turnout.series) {
      expect(bucket.kpis.participationRate).toEqual({
        value: null,
        unavailable: { reason: 'MISSING_REGISTRY', missingKeys: [UNREGISTERED] },
      });
      expect(bucket.kpis.cumulativeParticipationRate.unavailable.reason).toBe('MISSING_REGISTRY');
    }
  });

  test('breakdown by constituency ranked by participation: every group, the over-registered flag, the unregistered one last', async () => {
    const { data } = await report(
      `breakdown(by: CONSTITUENCY, top: 500, orderBy: PARTICIPATION_RATE) { key rank overRegistered kpis { ${SELECTION} votesCast { share } } }`,
    );
    const groups = data.turnout.breakdown as Array<{
      key: string;
      rank: number;
      overRegistered: boolean;
      kpis: Record<string, any>;
    }>;
    const reporting = constituenciesOf(windowOf(rows)).sort();
    expect(groups.map((g) => g.key).sort()).toEqual(reporting);
    const totalVotes = windowOf(rows).reduce((a, r) => a + r.votesCast, 0);
    for (const group of groups) {
      const scoped = inScope([group.key]);
      const slice = {
        window: windowOf(scoped),
        upToEnd: before(scoped, TO),
        registered: [group.key],
        checked: [group.key],
        hours: HOURS,
      };
      checkAll(group.kpis, expectedTurnout(slice, registry), `constituency ${group.key}`);
      expect(group.overRegistered).toBe(group.key === OVER_REGISTERED);
      expect(group.kpis.votesCast.share).toBeCloseTo(
        slice.window.reduce((a, r) => a + r.votesCast, 0) / totalVotes,
        9,
      );
    }
    expect(groups[0]?.key).toBe(OVER_REGISTERED);
    expect(groups[0]?.kpis.participationRate.value).toBeGreaterThan(100);
    expect(groups.at(-1)?.key).toBe(UNREGISTERED);
    const rates = groups.slice(0, -1).map((g) => g.kpis.participationRate.value as number);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
  });

  test('breakdown by region: registered voters of the whole region, unregistered constituencies under a null key', async () => {
    const { data } = await report(
      `breakdown(by: REGION, top: 10) { key overRegistered kpis { ${SELECTION} } }`,
    );
    const groups = data.turnout.breakdown as Array<{
      key: string | null;
      overRegistered: boolean;
      kpis: Record<string, any>;
    }>;
    expect(groups.map((g) => g.key ?? 'null').sort()).toEqual([...REGISTERED_REGIONS, 'null'].sort());
    for (const group of groups) {
      const members = group.key === null ? [UNREGISTERED] : ALL.filter((c) => REGIONS[c] === group.key);
      const scoped = inScope(members);
      const slice = {
        window: windowOf(scoped),
        upToEnd: before(scoped, TO),
        registered: members,
        checked: constituenciesOf(windowOf(scoped)),
        checkedUpToEnd: constituenciesOf(before(scoped, TO)),
        hours: HOURS,
      };
      checkAll(group.kpis, expectedTurnout(slice, registry), `region ${group.key}`);
      expect(group.overRegistered).toBe(group.key === REGIONS[OVER_REGISTERED]);
    }
  });

  test('activity pattern: votes, transactions and bulletins by local hour of day', async () => {
    const { data } = await report(
      'activityPattern { hour votesCast { value } transactions { value } bulletinsIssued { value } }',
      ', timeZone: "Asia/Kolkata"',
    );
    const byHour = new Map<number, TurnoutRow[]>();
    for (const r of windowOf(rows)) {
      const hour = Number(
        new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Asia/Kolkata',
          hour: '2-digit',
          hourCycle: 'h23',
        }).format(r.time),
      );
      byHour.set(hour, [...(byHour.get(hour) ?? []), r]);
    }
    expect(data.turnout.activityPattern.map((h: { hour: number }) => h.hour)).toEqual(
      [...byHour.keys()].sort((a, b) => a - b),
    );
    for (const h of data.turnout.activityPattern) {
      const members = byHour.get(h.hour)!;
      expect([h.hour, h.votesCast.value, h.transactions.value, h.bulletinsIssued.value]).toEqual([
        h.hour,
        members.reduce((a, r) => a + r.votesCast, 0),
        members.length,
        members.reduce((a, r) => a + r.bulletinsIssued, 0),
      ]);
    }
  });

  test('a 320-constituency breakdown with per-constituency KPIs is one ClickHouse query', async () => {
    const many = Array.from({ length: 320 }, (_, i) => `K${String(i).padStart(3, '0')}`);
    const bigRows = generateTurnoutRows({
      seed: 3,
      rows: 4000,
      from: FROM,
      hours: HOURS,
      constituencies: many,
    });
    const bigRegistry = many.map((c) => ({
      electionId: ELECTION,
      constituencyId: c,
      name: c,
      region: `R${c.slice(-1)}`,
      registeredVoters: 1000,
    }));
    expect(
      (await upload(gateway.url, 'big-reg', registryCsv(bigRegistry), 'constituencies')).body.status,
    ).toBe('LOADED');
    expect((await upload(gateway.url, 'big', turnoutCsv(bigRows), 'turnout')).body.status).toBe('LOADED');
    const body = `a: breakdown(by: CONSTITUENCY, top: 500) { key kpis { votesCast { value } participationRate { value } } } b: breakdown(by: CONSTITUENCY, top: 500) { key kpis { uniquePollingStations { value } cumulativeParticipationRate { value } } }`;
    const result = await report(body, '', 'big-reg', 'big');
    expect(result.data.turnout.a).toHaveLength(constituenciesOf(bigRows).length);
    expect(constituenciesOf(bigRows).length).toBeGreaterThan(300);
    expect(result.extensions!.kpi.clickhouse.queries).toBe(1);
    for (const group of result.data.turnout.a) {
      const votes = bigRows
        .filter((r) => r.constituencyId === group.key)
        .reduce((a, r) => a + r.votesCast, 0);
      expect([group.key, group.kpis.participationRate.value]).toEqual([
        group.key,
        expect.closeTo((votes / 1000) * 100, 9),
      ]);
    }
  });

  test('a registry re-upload replaces the earlier rows of that election', async () => {
    const replacement = [
      ...generateRegistry(2),
      {
        electionId: ELECTION,
        constituencyId: UNREGISTERED,
        name: 'Late',
        region: 'West',
        registeredVoters: 12_345,
      },
    ];
    expect(
      (await upload(gateway.url, 'ge-reg', registryCsv(replacement), 'constituencies')).body.status,
    ).toBe('LOADED');
    const { data } = await report(`totals { ${SELECTION} } registryCheck { registeredVoters missingCount }`);
    checkAll(data.turnout.totals, totalsExpected(ALL, replacement), 'after re-upload');
    expect(data.turnout.registryCheck).toEqual({
      registeredVoters: replacement.reduce((a, r) => a + r.registeredVoters, 0),
      missingCount: 0,
    });
  });
});
