import { badInput } from '../errors/app-error';
import { assertIdentifier, SqlParams } from '../warehouse/sql';
import { measuresOf, registryFor } from './kpi-registry';
import {
  bucketStart,
  chooseSource,
  INTERVAL,
  measureAlias,
  measureSql,
  rankingSql,
  tableFor,
  timeColumnOf,
  toDateTime64Param,
  validateRequest,
  type CompiledQuery,
  type PlannerContext,
} from './kpi-planner';
import type { KpiRequest } from './kpi-types';

export interface TurnoutPlannerContext extends PlannerContext {
  /** Uploads of the registry dataset that are still loading: the replace rule must not pick them. */
  readonly registryHiddenUploads: readonly string[];
}

/** Filters the turnout report takes: constituencies directly, regions through the registry. */
export const TURNOUT_FILTERS = ['constituencyId', 'region'] as const;
export const TURNOUT_BREAKDOWNS = ['constituencyId', 'region'] as const;
/** Constituencies named in a MISSING_REGISTRY reason or an over-registered list; the count is always exact. */
export const MAX_LISTED_CONSTITUENCIES = 20;
export const MAX_TURNOUT_TOP = 500;
const HOUR_MS = 3_600_000;

/**
 * Compiles a turnout request into one statement. Rows are first aggregated per constituency (and
 * per time group), so that registered voters can be joined per constituency from the registry,
 * constituencies missing from it can be named, and votes before the window can be carried into
 * cumulative participation: those rows fall into one sentinel group (`g_time` 1 or epoch 0) that
 * only the cumulative sum reads.
 */
export function compileTurnoutQuery(request: KpiRequest, context: TurnoutPlannerContext): CompiledQuery {
  const registry = registryFor('turnout');
  validateRequest(request, registry, TURNOUT_FILTERS);
  const shape = request.shape;
  const election = request.election;
  if (!election) throw badInput('A turnout report is about one election: electionId is required');
  for (const dimension of Object.keys(request.filters)) {
    if (!(TURNOUT_FILTERS as readonly string[]).includes(dimension))
      throw badInput(`Cannot filter turnout on ${dimension}`);
  }
  if (shape.type === 'breakdown' && !(TURNOUT_BREAKDOWNS as readonly string[]).includes(shape.by))
    throw badInput(`Cannot break turnout down by ${shape.by}`);
  if (shape.type === 'breakdown' && shape.top > MAX_TURNOUT_TOP)
    throw badInput(`A turnout breakdown returns at most ${MAX_TURNOUT_TOP} groups`);

  const kpiIds = new Set(request.kpis);
  if (shape.type === 'breakdown') kpiIds.add(shape.orderBy);
  const kpis = [...kpiIds].map((id) => registry.kpis.get(id)!);
  const needsRegistry = kpis.some((k) => k.needsRegistry);
  if (needsRegistry && shape.type === 'hourOfDay') throw badInput('Participation has no hour-of-day pattern');
  // Cumulative sums and the over-registered check read votes, whichever KPI asked for the registry.
  const complete = new Set(context.completeColumns ?? []);
  const measures = [
    ...new Set([
      ...kpis.flatMap((k) => measuresOf(registry, k, complete)),
      ...(needsRegistry ? ['votesCast'] : []),
    ]),
  ].sort();
  const rowMeasures = measures.filter((id) => !registry.derived.has(id));

  // Regions live in the registry: on the rollup, a region is a set of constituencies (in its key).
  const { region: regionFilter, ...rowFilters } = request.filters;
  const sourceShape = shape.type === 'breakdown' ? { ...shape, by: 'constituencyId' } : shape;
  const source =
    context.source ??
    chooseSource({ ...request, filters: rowFilters, shape: sourceShape }, registry, rowMeasures);
  const withRegistry =
    needsRegistry || regionFilter !== undefined || (shape.type === 'breakdown' && shape.by === 'region');
  const cumulative = needsRegistry;

  const p = new SqlParams();
  const tc = timeColumnOf('turnout', source);
  const from = p.bind("DateTime64(3, 'UTC')", toDateTime64Param(request.range.from));
  const to = p.bind("DateTime64(3, 'UTC')", toDateTime64Param(request.range.to));
  const electionId = p.bind('String', election.electionId);
  const zone = p.bind('String', request.timeZone);
  const constituencies = rowFilters.constituencyId
    ? p.bind('Array(String)', [...rowFilters.constituencyId])
    : null;
  const ctes: string[] = [];

  if (withRegistry) {
    const regWhere = [`dataset = ${p.bind('String', election.registry ?? '')}`, `electionId = ${electionId}`];
    if (context.registryHiddenUploads.length > 0)
      regWhere.push(`upload_id NOT IN ${p.bind('Array(String)', [...context.registryHiddenUploads])}`);
    // The replace rule: per election, only the newest visible upload of the registry counts.
    const scope = ['upload_id = (SELECT argMax(upload_id, uploaded_at) FROM reg_rows)'];
    if (constituencies) scope.push(`constituencyId IN ${constituencies}`);
    if (regionFilter) scope.push(`r_region IN ${p.bind('Array(String)', [...regionFilter])}`);
    ctes.push(
      `reg_rows AS (SELECT upload_id, uploaded_at, constituencyId, region AS r_region, registeredVoters AS r_voters FROM ${tableFor(context.database, 'constituencies', 'raw')} WHERE ${regWhere.join(' AND ')})`,
      `reg AS (SELECT constituencyId, any(r_region) AS region, sum(r_voters) AS registered, toUInt8(1) AS known FROM reg_rows WHERE ${scope.join(' AND ')} GROUP BY constituencyId)`,
    );
  }

  const where = [
    `dataset = ${p.bind('String', request.dataset)}`,
    `electionId = ${electionId}`,
    `${tc} < ${to}`,
  ];
  if (!cumulative) where.push(`${tc} >= ${from}`);
  if (context.hiddenUploads.length > 0)
    where.push(`upload_id NOT IN ${p.bind('Array(String)', [...context.hiddenUploads])}`);
  if (constituencies) where.push(`constituencyId IN ${constituencies}`);
  if (regionFilter) where.push('constituencyId IN (SELECT constituencyId FROM reg)');
  const before = `${tc} < ${from}`;
  const gTime =
    shape.type === 'series'
      ? cumulative
        ? `if(${before}, toDateTime(0, ${zone}), ${bucketStart(shape.grain, tc, zone)})`
        : bucketStart(shape.grain, tc, zone)
      : shape.type === 'hourOfDay'
        ? `toHour(${tc}, ${zone})`
        : cumulative
          ? `toUInt8(${before})`
          : 'toUInt8(0)';
  const innerMeasures = rowMeasures.map(
    (id) => `${measureSql(registry.measures.get(id)!, source)} AS c_${assertIdentifier(id)}`,
  );
  ctes.push(
    `cells AS (SELECT constituencyId, ${gTime} AS g_time, ${innerMeasures.join(', ')} FROM ${tableFor(context.database, 'turnout', source)} WHERE ${where.join(' AND ')} GROUP BY constituencyId, g_time)`,
    withRegistry
      ? 'scoped AS (SELECT * FROM cells LEFT JOIN reg USING (constituencyId))'
      : 'scoped AS (SELECT * FROM cells)',
  );

  const rowCols = rowMeasures.map(measureAlias);
  // Each level names its columns apart (c_ per cell, pc_ per constituency, m_ per group): an alias
  // that reuses the name of the column it aggregates would be read back in place of that column.
  const sums = (input: string, filter: string | null, output = 'm_') =>
    rowMeasures.map((id) =>
      filter ? `sumIf(${input}${id}, ${filter}) AS ${output}${id}` : `sum(${input}${id}) AS ${output}${id}`,
    );
  const totalRegistered = '(SELECT sum(registered) FROM reg)';
  const gaps = (list: string) =>
    `uniqExactIf(constituencyId, ${list}) AS m_registryMissingCount, arraySlice(arraySort(groupUniqArrayIf(constituencyId, ${list})), 1, ${MAX_LISTED_CONSTITUENCIES}) AS registry_missing`;
  const windowHours = p.bind(
    'Float64',
    (request.range.to.getTime() - request.range.from.getTime()) / HOUR_MS,
  );
  let body: string;
  let outer: string[];
  let tail = '';

  if (shape.type === 'series') {
    const fromSec = p.bind('Float64', request.range.from.getTime() / 1000);
    const toSec = p.bind('Float64', request.range.to.getTime() / 1000);
    const end = `g_bucket + ${INTERVAL[shape.grain]}`;
    if (withRegistry) ctes.push(`gaps AS (SELECT ${gaps('known = 0')} FROM scoped)`);
    ctes.push(
      `buckets AS (SELECT g_time AS g_bucket, ${sums('c_', null).join(', ')} FROM scoped GROUP BY g_bucket)`,
    );
    const cols = [
      'g_bucket',
      'toUnixTimestamp(g_bucket) AS bucket_start',
      `toUnixTimestamp(${end}) AS bucket_end`,
      ...rowCols,
      `(least(toUnixTimestamp(${end}), ${toSec}) - greatest(toUnixTimestamp(g_bucket), ${fromSec})) / 3600 AS m_windowHours`,
      ...(withRegistry
        ? [
            'sum(m_votesCast) OVER (ORDER BY g_bucket ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS m_votesCumulative',
            `${totalRegistered} AS m_registered`,
            'm_registryMissingCount',
            'registry_missing',
          ]
        : []),
    ];
    body = `SELECT ${cols.join(', ')} FROM buckets${withRegistry ? ' CROSS JOIN gaps' : ''}`;
    // The sentinel bucket (rows before the window) only feeds the running sum.
    outer = ['bucket_start', 'bucket_end'];
    tail = `\nWHERE g_bucket != toDateTime(0, ${zone})\nORDER BY g_bucket`;
  } else if (shape.type === 'hourOfDay') {
    body = `SELECT g_time AS hour_of_day, ${sums('c_', null).join(', ')}, ${windowHours} AS m_windowHours FROM scoped GROUP BY hour_of_day`;
    outer = ['hour_of_day'];
    tail = '\nORDER BY hour_of_day';
  } else {
    const perConstituency = [
      'constituencyId',
      ...(withRegistry
        ? ['any(known) AS known', 'any(registered) AS registered', 'any(region) AS region']
        : []),
      ...sums('c_', cumulative ? 'g_time = 0' : null, 'pc_'),
      ...(cumulative ? ['sum(c_votesCast) AS votes_to_end'] : []),
    ];
    ctes.push(`per_c AS (SELECT ${perConstituency.join(', ')} FROM scoped GROUP BY constituencyId)`);
    const key = shape.type === 'breakdown' ? (shape.by === 'region' ? 'region' : 'constituencyId') : null;
    const over = 'known = 1 AND votes_to_end > registered';
    const registryCols = needsRegistry
      ? [
          'sum(votes_to_end) AS m_votesCumulative',
          gaps('known = 0'),
          `countIf(${over}) AS registry_over_count`,
          `arraySlice(arraySort(groupArrayIf(constituencyId, ${over})), 1, ${MAX_LISTED_CONSTITUENCIES}) AS registry_over`,
          // Registered voters of the slice: every registry row matching it, reporting or not.
          key === null
            ? `${totalRegistered} AS m_registered`
            : key === 'constituencyId'
              ? 'sum(registered) AS m_registered'
              : "ifNull(region, '') AS g_region",
        ]
      : [];
    const grouped = [
      ...(key ? [`${key} AS g_key`] : []),
      ...sums('pc_', null),
      ...registryCols,
      `${windowHours} AS m_windowHours`,
    ];
    let groups = `SELECT ${grouped.join(', ')} FROM per_c${key ? ' GROUP BY g_key' : ''}`;
    // A constituency that reported only before the window is not a group of this window.
    if (key) groups += ' HAVING m_transactions > 0';
    if (needsRegistry && key === 'region') {
      ctes.push(
        `groups AS (${groups})`,
        "reg_regions AS (SELECT ifNull(region, '') AS g_region, sum(registered) AS m_registered FROM reg GROUP BY g_region)",
      );
      groups = 'SELECT * FROM groups LEFT JOIN reg_regions USING (g_region)';
    }
    body = groups;
    outer = key ? ['g_key'] : [];
    if (shape.type === 'breakdown') tail = `\n${rankingSql(registry, shape, p, complete)}`;
  }

  const registryOut = needsRegistry
    ? [
        'm_registryMissingCount',
        'registry_missing',
        ...(shape.type === 'series' ? [] : ['registry_over_count', 'registry_over']),
      ]
    : [];
  const derivedOut = measures.filter((id) => registry.derived.has(id)).map(measureAlias);
  const select = [...outer, ...rowCols, ...derivedOut, ...registryOut];
  const query = `WITH\n  ${ctes.join(',\n  ')}\nSELECT ${select.join(', ')}\nFROM (\n  ${body}\n)${tail}`;
  return { kind: 'turnout', fragment: p.fragment(query), source, measures, kpis, completeColumns: complete };
}
