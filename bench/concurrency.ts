import { performance } from 'node:perf_hooks';
import { trustedSql, type SqlFragment } from '../src/warehouse/sql';
import type { Gateway } from '../src/server/gateway';
import { datasetOf, ensureLoadedDataDir, SALES_10M } from './lib/data';
import { startInProcessGateway } from './lib/gateway';
import { graphql } from './lib/http';
import { dashboardOperation, KPI_SETS, rangeVariables } from './lib/queries';
import { fmtMs, median, percentile, runScenario, timeMs } from './lib/stats';

/**
 * A deliberately slow (~2 s) statement in flight on one chDB session while fast dashboard
 * queries (GraphQL totals, cache off) keep arriving one after another. Three kinds of slow: one
 * that only holds its session (`sleep`, no parameters), which shows whether the session pool keeps
 * fast queries moving; the same with a bound parameter, as every gateway statement has (chDB runs
 * parameterised queries one at a time per process); and one that burns both cores for ~2 s.
 */
const ROUNDS = 3;
const SLOW_MS = 2000;
const TARGET_MS = 50;

async function fastLatencies(gateway: Gateway, dataset: string, until: () => boolean): Promise<number[]> {
  const operation = dashboardOperation('totals', KPI_SETS.sums);
  const latencies: number[] = [];
  while (!until())
    latencies.push(await timeMs(() => graphql(gateway.graphqlUrl, operation, rangeVariables(dataset))));
  return latencies;
}

/** A CPU-bound statement sized on this machine, now, to take about SLOW_MS. */
async function calibratedCpuQuery(gateway: Gateway): Promise<SqlFragment> {
  const probe = 100_000_000;
  const query = 'SELECT sum(cityHash64(number, 1)) FROM numbers({n:UInt64})';
  const ms = await timeMs(() => gateway.warehouse.query({ query: query, params: { n: probe } }));
  return { query: query, params: { n: Math.round((probe * SLOW_MS) / ms) } };
}

runScenario('concurrency', async (report) => {
  const dir = await ensureLoadedDataDir(SALES_10M);
  const dataset = datasetOf(SALES_10M);
  const gateway = await startInProcessGateway(dir, { CACHE_TTL_SECONDS: '0' });
  try {
    await fastLatencies(
      gateway,
      dataset,
      (
        (n) => () =>
          n-- <= 0
      )(20),
    );
    const slowQueries = {
      'sleep 2 s, no parameters': trustedSql('SELECT sleep(2)'),
      'sleep 2 s, one bound parameter': { query: 'SELECT sleep({seconds:Float64})', params: { seconds: 2 } },
      'CPU-bound ~2 s on both cores, bound': await calibratedCpuQuery(gateway),
    };

    for (const [kind, slow] of Object.entries(slowQueries)) {
      const alone: number[] = [];
      const during: number[] = [];
      const slowMs: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const end = performance.now() + SLOW_MS;
        alone.push(...(await fastLatencies(gateway, dataset, () => performance.now() > end)));
        let done = false;
        const started = performance.now();
        const inFlight = gateway.warehouse.query(slow).finally(() => {
          done = true;
          slowMs.push(performance.now() - started);
        });
        // Let the slow statement reach the engine before the fast ones start.
        await new Promise((resolve) => setTimeout(resolve, 50));
        during.push(...(await fastLatencies(gateway, dataset, () => done)));
        await inFlight;
      }
      const delay50 = median(during) - median(alone);
      const delay99 = percentile(during, 99) - percentile(alone, 99);
      report.check({
        metric: `${kind}: fast query delay at p50`,
        value: fmtMs(delay50),
        baseline: `alone ${fmtMs(median(alone))} → during ${fmtMs(median(during))}`,
        ratio: `${(median(during) / median(alone)).toFixed(2)}×`,
        target: `< ${TARGET_MS} ms`,
        pass: delay50 < TARGET_MS,
      });
      report.info(
        `${kind}: delay at p99 (slow query took ${fmtMs(median(slowMs))}, ${during.length} fast queries ran meanwhile)`,
        fmtMs(delay99),
        `alone ${fmtMs(percentile(alone, 99))} → during ${fmtMs(percentile(during, 99))}`,
      );
    }
  } finally {
    await gateway.close();
  }
});
