import { compileKpiQuery } from '../src/kpi/planning/kpi-planner';
import { datasetOf, ensureLoadedDataDir, SALES_10M } from './lib/data';
import { startInProcessGateway } from './lib/gateway';
import { graphql } from './lib/http';
import {
  dashboardOperation,
  FULL_RANGE,
  KPI_SETS,
  kpiRequest,
  ONE_DAY,
  rangeVariables,
  type Range,
  type ShapeName,
} from './lib/queries';
import { fmtMs, interleave, percentile, runScenario } from './lib/stats';

/**
 * Gateway overhead: the compiled SQL of a dashboard query run straight through the warehouse
 * layer vs the same query as GraphQL over HTTP, cache off, in one process on the same chDB
 * sessions, interleaved. `{ __typename }` (HTTP + Apollo, no ClickHouse) shows how much of the
 * difference is the transport and GraphQL execution alone.
 */
const ROUNDS = 400;
const TARGET_MS = 1;
// Mostly one-day queries (a few ms in ClickHouse): on a 90-day query (~100 ms here) the noise of
// this shared machine is far larger than the 1 ms being measured; one such case shows it.
const CASES: Array<{
  shape: ShapeName;
  set: keyof typeof KPI_SETS;
  range: Range;
  label: string;
  rounds: number;
}> = [
  { shape: 'totals', set: 'sums', range: ONE_DAY, label: '1 day', rounds: ROUNDS },
  { shape: 'breakdown by branch', set: 'sums', range: ONE_DAY, label: '1 day', rounds: ROUNDS },
  { shape: 'daily series (90 d)', set: 'sums', range: ONE_DAY, label: '1 day', rounds: ROUNDS },
  { shape: 'totals', set: 'sums', range: FULL_RANGE, label: '90 days', rounds: 60 },
];

runScenario('overhead', async (report) => {
  const dir = await ensureLoadedDataDir(SALES_10M);
  const dataset = datasetOf(SALES_10M);
  const gateway = await startInProcessGateway(dir, { CACHE_TTL_SECONDS: '0' });
  try {
    // A directory loaded by an older version gets its complete columns counted in the background at start.
    await gateway.services.ingest.idle();
    const completeColumns = [...gateway.services.directory.get(dataset)!.completeColumns].sort();
    for (const { shape, set, range, label: span, rounds } of CASES) {
      const kpis = KPI_SETS[set];
      const compiled = compileKpiQuery(kpiRequest(dataset, shape, kpis, {}, range), {
        database: gateway.warehouse.database,
        hiddenUploads: [],
        completeColumns,
      });
      const operation = dashboardOperation(shape, kpis);
      const variables = rangeVariables(dataset, range);

      // The comparison is only fair if GraphQL sends exactly this SQL (and only it).
      const seen: string[] = [];
      const stop = gateway.warehouse.onQuery((event) => seen.push(event.query));
      await graphql(gateway.graphqlUrl, operation, variables);
      stop();
      if (seen.length !== 1 || seen[0] !== compiled.fragment.query)
        throw new Error(`GraphQL ran ${seen.length} queries, not the compiled SQL:\n${seen.join('\n---\n')}`);

      const times = await interleave(
        rounds,
        {
          warehouse: () => gateway.warehouse.query(compiled.fragment),
          graphql: () => graphql(gateway.graphqlUrl, operation, variables),
          typename: () => graphql(gateway.graphqlUrl, '{ __typename }'),
        },
        30,
      );
      const at = (p: number) => ({
        direct: percentile(times.warehouse, p),
        http: percentile(times.graphql, p),
        floor: percentile(times.typename, p),
      });
      const [p50, p99] = [at(50), at(99)];
      const label = `${shape === 'daily series (90 d)' ? 'daily series' : shape}, ${set}, ${span} (${compiled.source})`;
      report.check({
        metric: `${label}: added at p50`,
        value: fmtMs(p50.http - p50.direct),
        baseline: `SQL ${fmtMs(p50.direct)} → GraphQL ${fmtMs(p50.http)}`,
        ratio: `${((p50.http / p50.direct - 1) * 100).toFixed(0)}% added`,
        target: `≤ ${TARGET_MS} ms`,
        pass: p50.http - p50.direct <= TARGET_MS,
      });
      report.info(
        `${label}: added at p99`,
        fmtMs(p99.http - p99.direct),
        `SQL ${fmtMs(p99.direct)} → GraphQL ${fmtMs(p99.http)}`,
      );
      report.info(
        `${label}: HTTP + Apollo floor ({ __typename })`,
        `p50 ${fmtMs(p50.floor)}, p99 ${fmtMs(p99.floor)}`,
      );
    }
  } finally {
    await gateway.close();
  }
});
