import type { KpiDef, MeasureDef } from '../kpi-types';

/** Dimensions in the turnout rollup key; `region` is not a column of turnout rows but of the registry. */
export const TURNOUT_DIMENSIONS = ['constituencyId', 'pollingStationId'] as const;

/**
 * Measures the turnout planner computes itself rather than by aggregating rows of the slice:
 * hours in the window (per bucket in a series), registered voters (from the registry), votes from
 * the first row of the election up to the slice's end.
 */
export const TURNOUT_DERIVED_MEASURES = ['windowHours', 'registered', 'votesCumulative'] as const;

/**
 * Aggregates over the rows of one constituency (the planner always groups by constituency first,
 * then adds constituencies up), once per table. Each one is additive over constituencies: polling
 * stations are identified within their constituency, so distinct stations add up exactly.
 */
export const TURNOUT_MEASURES: readonly MeasureDef[] = [
  { id: 'transactions', rollup: 'sum(transactions)', raw: 'count()' },
  { id: 'bulletinsIssued', rollup: 'sum(bulletinsIssuedSum)', raw: 'sum(bulletinsIssued)' },
  { id: 'votesCast', rollup: 'sum(votesCastSum)', raw: 'sum(votesCast)' },
  { id: 'anomalies', rollup: 'sum(anomaliesSum)', raw: 'sum(ifNull(anomalies, 0))' },
  { id: 'anomaliesRows', rollup: 'sum(anomaliesRows)', raw: 'count(anomalies)' },
  {
    id: 'pollingStationIdRows',
    rollup: 'sumIf(transactions, pollingStationId IS NOT NULL)',
    raw: 'count(pollingStationId)',
  },
  {
    id: 'pollingStationIdDistinct',
    rollup: 'uniqExact(pollingStationId)',
    raw: 'uniqExact(pollingStationId)',
  },
  // 1 per constituency with rows in the window: summed, the number of reporting constituencies.
  { id: 'constituencyIdDistinct', rollup: 'toUInt64(sum(transactions) > 0)', raw: 'toUInt64(count() > 0)' },
];

interface Participation {
  readonly id: string;
  readonly enumValue: string;
  /** The measure of votes the rate counts. */
  readonly numerator: string;
  readonly what: string;
  readonly formula: string;
  readonly registryScope: 'slice' | 'upToEnd';
}

const participation = ({
  id,
  enumValue,
  numerator,
  what,
  formula,
  registryScope,
}: Participation): KpiDef => ({
  id,
  enumValue,
  description: `${what} Over 100 is reported as is (more votes than registered voters), never clipped.`,
  unit: 'PERCENT',
  formula,
  needs: [],
  expression: `toFloat64({${numerator}}) / toFloat64({registered}) * 100`,
  denominator: 'registered',
  registryScope,
});

/** The turnout KPIs: resolvers, the KPI catalog and the planner all read this one list. */
export const TURNOUT_KPIS: readonly KpiDef[] = [
  {
    id: 'bulletinsIssued',
    enumValue: 'BULLETINS_ISSUED',
    description: 'Ballots (bulletins) issued.',
    unit: 'COUNT',
    formula: 'sum(bulletinsIssued)',
    needs: [],
    expression: '{bulletinsIssued}',
  },
  {
    id: 'votesCast',
    enumValue: 'VOTES_CAST',
    description: 'Votes cast.',
    unit: 'COUNT',
    formula: 'sum(votesCast)',
    needs: [],
    expression: '{votesCast}',
  },
  {
    id: 'transactions',
    enumValue: 'TRANSACTIONS',
    description: 'Number of polling-station transactions (rows).',
    unit: 'COUNT',
    formula: 'count()',
    needs: [],
    expression: '{transactions}',
  },
  {
    id: 'anomalyCount',
    enumValue: 'ANOMALY_COUNT',
    description: 'Anomalies flagged on the transactions.',
    unit: 'COUNT',
    formula: 'sum(anomalies)',
    needs: ['anomalies'],
    expression: '{anomalies}',
  },
  {
    id: 'votesPerHour',
    enumValue: 'VOTES_PER_HOUR',
    description:
      'Velocity: votes cast per hour of the window (of the bucket, in a series; edge buckets count only their part inside the range).',
    unit: 'PER_HOUR',
    formula: 'sum(votesCast) / hours in the window',
    needs: [],
    expression: 'toFloat64({votesCast}) / {windowHours}',
  },
  {
    id: 'reportingConstituencies',
    enumValue: 'REPORTING_CONSTITUENCIES',
    description: 'Constituencies with at least one transaction in the slice.',
    unit: 'COUNT',
    formula: 'count(distinct constituencyId)',
    needs: ['constituencyId'],
    expression: '{constituencyIdDistinct}',
  },
  {
    id: 'uniquePollingStations',
    enumValue: 'UNIQUE_POLLING_STATIONS',
    description:
      'Distinct polling stations (identified within their constituency) with transactions in the slice.',
    unit: 'COUNT',
    formula: 'count(distinct (constituencyId, pollingStationId))',
    needs: ['pollingStationId'],
    expression: '{pollingStationIdDistinct}',
  },
  participation({
    id: 'participationRate',
    enumValue: 'PARTICIPATION_RATE',
    numerator: 'votesCast',
    what: 'Votes cast in the slice per 100 registered voters of the slice (registry rows of the election matching its filters, reporting or not).',
    formula: 'sum(votesCast) / sum(registeredVoters) * 100',
    registryScope: 'slice',
  }),
  participation({
    id: 'cumulativeParticipationRate',
    enumValue: 'CUMULATIVE_PARTICIPATION_RATE',
    numerator: 'votesCumulative',
    what: "Votes cast from the election's first row up to the end of the slice (the bucket's end, in a series) per 100 registered voters.",
    formula: 'sum(votesCast up to the end) / sum(registeredVoters) * 100',
    registryScope: 'upToEnd',
  }),
];
