import { performance } from 'node:perf_hooks';
import { datasetOf, ensureLoadedDataDir, SALES_10M } from './lib/data';
import { spawnGateway } from './lib/gateway';
import { graphql } from './lib/http';
import { dashboardOperation, KPI_SETS, rangeVariables } from './lib/queries';
import { fmtCount, fmtMs, median, percentile, runScenario } from './lib/stats';

/**
 * Cached answers under load: 10 keep-alive connections, each sending the next request as soon as
 * the previous one is answered, against the gateway in its own process with its default
 * in-memory cache. Each phase is bounded in time and count. The baseline is `{ __typename }`:
 * HTTP + Apollo with no KPI work at all, the floor a cached answer can approach.
 */
const CONNECTIONS = 10;
const PHASE_MS = 5000;
const MAX_REQUESTS_PER_PHASE = 100_000;
const P50_TARGET_MS = 2;
const RPS_TARGET = 3000;

interface Phase {
  latencies: number[];
  elapsedMs: number;
}

async function load(send: () => Promise<unknown>, durationMs: number): Promise<Phase> {
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + durationMs;
  const worker = async () => {
    while (performance.now() < end && latencies.length < MAX_REQUESTS_PER_PHASE) {
      const t = performance.now();
      await send();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { latencies, elapsedMs: performance.now() - started };
}

runScenario('cached', async (report) => {
  const dir = await ensureLoadedDataDir(SALES_10M);
  const dataset = datasetOf(SALES_10M);
  const gateway = await spawnGateway(dir);
  try {
    const kinds = {
      'cached dashboard totals': () => graphql(gateway.graphqlUrl, dashboardOperation('totals', KPI_SETS.sums), rangeVariables(dataset)),
      '{ __typename } floor': () => graphql(gateway.graphqlUrl, '{ __typename }'),
    };
    await kinds['cached dashboard totals']();
    await load(kinds['cached dashboard totals'], 1000);
    const phases: Record<string, Phase[]> = { 'cached dashboard totals': [], '{ __typename } floor': [] };
    for (let round = 0; round < 2; round += 1) {
      for (const [name, send] of Object.entries(kinds)) phases[name].push(await load(send, PHASE_MS));
    }
    const summary = Object.fromEntries(
      Object.entries(phases).map(([name, list]) => {
        const latencies = list.flatMap((p) => p.latencies);
        const seconds = list.reduce((s, p) => s + p.elapsedMs, 0) / 1000;
        return [name, { p50: median(latencies), p99: percentile(latencies, 99), rps: latencies.length / seconds, n: latencies.length }];
      }),
    );
    const cached = summary['cached dashboard totals'];
    const floor = summary['{ __typename } floor'];
    report.check({ metric: `cached answer p50 at ${CONNECTIONS} connections`, value: fmtMs(cached.p50), baseline: `floor ${fmtMs(floor.p50)}`, ratio: `${(cached.p50 / floor.p50).toFixed(2)}× floor`, target: `≤ ${P50_TARGET_MS} ms`, pass: cached.p50 <= P50_TARGET_MS });
    report.check({ metric: 'cached answers per second', value: `${fmtCount(cached.rps)} req/s`, baseline: `floor ${fmtCount(floor.rps)} req/s`, ratio: `${(cached.rps / floor.rps).toFixed(2)}× floor`, target: `≥ ${fmtCount(RPS_TARGET)} req/s`, pass: cached.rps >= RPS_TARGET });
    report.info('cached answer p99', fmtMs(cached.p99), `floor ${fmtMs(floor.p99)}`, `${fmtCount(cached.n)} requests`);
  } finally {
    await gateway.stop();
  }
});
