/**
 * Deterministic election data for tests (several constituencies and regions, one anomalous
 * station, one constituency missing from the registry, one with more votes than registered
 * voters) and an independent computation of every turnout KPI over the same rows.
 */
import { groupBy, localBucketKey, prng } from './sales-fixture';

export interface TurnoutRow {
  time: Date;
  electionId: string;
  constituencyId: string;
  pollingStationId: string;
  bulletinsIssued: number;
  votesCast: number;
  anomalies: number;
}

export interface RegistryRow {
  electionId: string;
  constituencyId: string;
  name: string;
  region: string;
  registeredVoters: number;
}

export const ELECTION = 'ge-2027';
export const REGIONS: Record<string, string> = {
  C01: 'North',
  C02: 'North',
  C03: 'South',
  C04: 'South',
  C05: 'East',
  C06: 'East',
  C07: 'East',
  C08: 'West',
};
export const UNREGISTERED = 'C08';
export const OVER_REGISTERED = 'C05';
export const ANOMALOUS = { constituencyId: 'C03', pollingStationId: 'S2' };

export function generateTurnoutRows(options: {
  seed: number;
  rows: number;
  from: Date;
  hours: number;
  constituencies?: readonly string[];
}): TurnoutRow[] {
  const random = prng(options.seed);
  const constituencies = options.constituencies ?? Object.keys(REGIONS);
  return Array.from({ length: options.rows }, () => {
    const constituencyId = constituencies[Math.floor(random() * constituencies.length)] ?? 'C01';
    const pollingStationId = `S${1 + Math.floor(random() * 4)}`;
    const votesCast = 1 + Math.floor(random() * 40);
    const anomalous =
      constituencyId === ANOMALOUS.constituencyId && pollingStationId === ANOMALOUS.pollingStationId;
    return {
      time: new Date(options.from.getTime() + Math.floor(random() * options.hours * 3600) * 1000),
      electionId: ELECTION,
      constituencyId,
      pollingStationId,
      bulletinsIssued: votesCast + Math.floor(random() * 3),
      votesCast,
      anomalies: anomalous ? 1 + Math.floor(random() * 3) : 0,
    };
  });
}

/** Every constituency but UNREGISTERED; OVER_REGISTERED has far fewer voters than it will have votes. */
export function generateRegistry(scale = 1): RegistryRow[] {
  return Object.entries(REGIONS)
    .filter(([c]) => c !== UNREGISTERED)
    .map(([constituencyId, region], i) => ({
      electionId: ELECTION,
      constituencyId,
      name: `Constituency ${constituencyId}`,
      region,
      registeredVoters: constituencyId === OVER_REGISTERED ? 50 : (20_000 + i * 1_000) * scale,
    }));
}

export function turnoutCsv(rows: readonly TurnoutRow[]): string {
  const lines = rows.map((r) =>
    [
      r.time.toISOString(),
      r.electionId,
      r.constituencyId,
      r.pollingStationId,
      r.bulletinsIssued,
      r.votesCast,
      r.anomalies,
    ].join(','),
  );
  // Header spelled the way the election service exported it: aliases map it onto canonical columns.
  return [
    'timestamp,election_id,constituency,polling_station_id,bulletins_issued,votes_cast,anomaly_count',
    ...lines,
    '',
  ].join('\n');
}

export function registryCsv(rows: readonly RegistryRow[]): string {
  return [
    'election_id,constituency_id,name,region,registered_voters',
    ...rows.map((r) =>
      [r.electionId, r.constituencyId, `"${r.name}"`, r.region, r.registeredVoters].join(','),
    ),
    '',
  ].join('\n');
}

/** A MISSING_REGISTRY reason names the first constituencies (sorted), at most this many. */
const LISTED_MISSING = 20;

export type Expected = { value: number } | { reason: string; missingKeys?: string[] };

export interface Slice {
  /** Rows of the window (and of the group/bucket). */
  readonly window: readonly TurnoutRow[];
  /** Rows of the same constituencies from the first row up to the slice's end (cumulative). */
  readonly upToEnd: readonly TurnoutRow[];
  /** Constituencies whose registry rows form the denominator. */
  readonly registered: readonly string[];
  /** Constituencies whose registry coverage participation needs: those with rows in the slice. */
  readonly checked: readonly string[];
  /**
   * Constituencies whose registry coverage cumulative participation needs: those with rows from
   * the first row up to the slice's end. Defaults to `checked`.
   */
  readonly checkedUpToEnd?: readonly string[];
  readonly hours: number;
}

const sum = (rows: readonly TurnoutRow[], f: (r: TurnoutRow) => number) => rows.reduce((a, r) => a + f(r), 0);

export function expectedTurnout(slice: Slice, registry: readonly RegistryRow[]): Record<string, Expected> {
  const { window } = slice;
  if (window.length === 0)
    return Object.fromEntries(TURNOUT_KPI_IDS.map((id) => [id, { reason: 'NO_DATA' }]));
  const votes = sum(window, (r) => r.votesCast);
  const known = new Set(registry.map((r) => r.constituencyId));
  const missingOf = (checked: readonly string[]) => [...new Set(checked.filter((c) => !known.has(c)))].sort();
  const registered = registry
    .filter((r) => slice.registered.includes(r.constituencyId))
    .reduce((a, r) => a + r.registeredVoters, 0);
  const participation = (numerator: number, missing: readonly string[]): Expected =>
    missing.length > 0
      ? { reason: 'MISSING_REGISTRY', missingKeys: missing.slice(0, LISTED_MISSING) }
      : registered === 0
        ? { reason: 'ZERO_DENOMINATOR' }
        : { value: (numerator / registered) * 100 };
  return {
    bulletinsIssued: { value: sum(window, (r) => r.bulletinsIssued) },
    votesCast: { value: votes },
    transactions: { value: window.length },
    anomalyCount: { value: sum(window, (r) => r.anomalies) },
    votesPerHour: { value: votes / slice.hours },
    reportingConstituencies: { value: new Set(window.map((r) => r.constituencyId)).size },
    uniquePollingStations: {
      value: new Set(window.map((r) => `${r.constituencyId}/${r.pollingStationId}`)).size,
    },
    participationRate: participation(votes, missingOf(slice.checked)),
    cumulativeParticipationRate: participation(
      sum(slice.upToEnd, (r) => r.votesCast),
      missingOf(slice.checkedUpToEnd ?? slice.checked),
    ),
  };
}

export const TURNOUT_KPI_IDS = [
  'bulletinsIssued',
  'votesCast',
  'transactions',
  'anomalyCount',
  'votesPerHour',
  'reportingConstituencies',
  'uniquePollingStations',
  'participationRate',
  'cumulativeParticipationRate',
];

export interface GatewayKpi {
  value: number | null;
  unavailable: { reason: string; missingKeys: string[] } | null;
}

export function expectTurnoutKpi(actual: GatewayKpi, expected: Expected, where: string): void {
  if ('value' in expected) {
    if (actual.value === null)
      throw new Error(
        `${where}: expected ${expected.value}, got null (${JSON.stringify(actual.unavailable)})`,
      );
    expect([where, actual.value]).toEqual([where, expect.closeTo(expected.value, 6)]);
  } else {
    expect([where, actual.value, actual.unavailable?.reason]).toEqual([where, null, expected.reason]);
    if (expected.missingKeys)
      expect([where, actual.unavailable?.missingKeys]).toEqual([where, expected.missingKeys]);
  }
}

/** Rows by local bucket of a grain, keyed as `localBucketKey` spells them. */
export function byBucket(
  rows: readonly TurnoutRow[],
  grain: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH',
  zone: string,
): Map<string, TurnoutRow[]> {
  return groupBy(rows, (r) => localBucketKey(r.time, grain, zone));
}
