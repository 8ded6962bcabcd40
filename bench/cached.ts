import { datasetOf, ensureLoadedDataDir, SALES_10M } from './lib/data';
import { spawnGateway } from './lib/gateway';
import { graphql } from './lib/http';
import { closedLoop, type LoadResult } from './lib/load-client';
import { dashboardOperation, KPI_SETS, rangeVariables } from './lib/queries';
import { required } from './lib/required';
import { fmtCount, fmtMs, median, percentile, runScenario } from './lib/stats';

/**
 * Cached answers under load: 10 keep-alive connections, each sending the next request as soon as
 * the previous one is answered (`closedLoop`, a lean client, so the client's own CPU on this
 * 2-core machine is not billed to the gateway), against the gateway in its own process with its
 * default caches. Each phase is bounded in time and count. The baseline is `{ __typename }`:
 * HTTP + Apollo with no KPI work at all (never answered from the response cache).
 */
const CONNECTIONS = 10;
const PHASE_MS = 5000;
const MAX_REQUESTS_PER_PHASE = 100_000;
const P50_TARGET_MS = 2;
const RPS_TARGET = 3000;

runScenario('cached', async (report) => {
  const dir = await ensureLoadedDataDir(SALES_10M);
  const dataset = datasetOf(SALES_10M);
  const gateway = await spawnGateway(dir);
  try {
    const operation = dashboardOperation('totals', KPI_SETS.sums);
    const bodies = {
      'cached dashboard totals': JSON.stringify({ query: operation, variables: rangeVariables(dataset) }),
      '{ __typename } floor': JSON.stringify({ query: '{ __typename }' }),
    };
    // The first answer computes and stores; every later one is a cached answer.
    await graphql(gateway.graphqlUrl, operation, rangeVariables(dataset));
    const load = (body: string, durationMs: number) =>
      closedLoop({
        url: gateway.graphqlUrl,
        body,
        connections: CONNECTIONS,
        durationMs,
        maxRequests: MAX_REQUESTS_PER_PHASE,
      });
    for (const body of Object.values(bodies)) await load(body, 1000);
    const phases: Record<string, LoadResult[]> = {
      'cached dashboard totals': [],
      '{ __typename } floor': [],
    };
    for (let round = 0; round < 2; round += 1) {
      for (const [name, body] of Object.entries(bodies))
        required(phases[name], name).push(await load(body, PHASE_MS));
    }
    const summary = Object.fromEntries(
      Object.entries(phases).map(([name, list]) => {
        const latencies = list.flatMap((p) => p.latencies);
        const seconds = list.reduce((s, p) => s + p.elapsedMs, 0) / 1000;
        return [
          name,
          {
            p50: median(latencies),
            p99: percentile(latencies, 99),
            rps: latencies.length / seconds,
            n: latencies.length,
          },
        ];
      }),
    );
    const cached = required(summary['cached dashboard totals'], 'cached dashboard totals');
    const floor = required(summary['{ __typename } floor'], '{ __typename } floor');
    report.check({
      metric: `cached answer p50 at ${CONNECTIONS} connections`,
      value: fmtMs(cached.p50),
      baseline: `floor ${fmtMs(floor.p50)}`,
      ratio: `${(cached.p50 / floor.p50).toFixed(2)}× floor`,
      target: `≤ ${P50_TARGET_MS} ms`,
      pass: cached.p50 <= P50_TARGET_MS,
    });
    report.check({
      metric: 'cached answers per second',
      value: `${fmtCount(cached.rps)} req/s`,
      baseline: `floor ${fmtCount(floor.rps)} req/s`,
      ratio: `${(cached.rps / floor.rps).toFixed(2)}× floor`,
      target: `≥ ${fmtCount(RPS_TARGET)} req/s`,
      pass: cached.rps >= RPS_TARGET,
    });
    report.info(
      'cached answer p99',
      fmtMs(cached.p99),
      `floor ${fmtMs(floor.p99)}`,
      `${fmtCount(cached.n)} requests`,
    );
  } finally {
    await gateway.stop();
  }
});
