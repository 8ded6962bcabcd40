import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { datasetOf, ensureLoadedDataDir, SALES_10M } from './lib/data';
import { spawnGateway } from './lib/gateway';
import { askGateway, SUM_KPIS } from './lib/queries';
import { fmtMs, median, runScenario } from './lib/stats';

/**
 * Cold start on an existing data directory (10 M rows): from spawning the process to the first
 * answered dashboard query (its cache is empty, so the query really runs). The baselines are
 * what no gateway can avoid: starting node, and loading the chDB engine into it.
 */
const ROUNDS = 5;
const TARGET_MS = 3000;

function nodeMs(script: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['-e', script], { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node -e ${script} failed`);
  return performance.now() - started;
}

runScenario('cold-start', async (report) => {
  const dir = await ensureLoadedDataDir(SALES_10M);
  const dataset = datasetOf(SALES_10M);
  const total: number[] = [];
  const listening: number[] = [];
  const node: number[] = [];
  const chdb: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    node.push(nodeMs(''));
    chdb.push(nodeMs("require('chdb')"));
    const started = performance.now();
    const gateway = await spawnGateway(dir);
    try {
      listening.push(performance.now() - started);
      await askGateway(gateway.graphqlUrl, dataset, 'totals', SUM_KPIS);
      total.push(performance.now() - started);
    } finally {
      await gateway.stop();
    }
  }
  report.check({
    metric: 'process start → first answered query',
    value: fmtMs(median(total)),
    baseline: `node alone ${fmtMs(median(node))}`,
    ratio: `${(median(total) / median(node)).toFixed(1)}× node`,
    target: `< ${fmtMs(TARGET_MS)}`,
    pass: median(total) < TARGET_MS,
  });
  report.info(
    'of which: start → listening / first query',
    `${fmtMs(median(listening))} / ${fmtMs(median(total) - median(listening))}`,
  );
  report.info("node + require('chdb') alone", fmtMs(median(chdb)));
});
