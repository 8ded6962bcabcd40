import { performance } from 'node:perf_hooks';
import { datasetOf, ensureLoadedDataDir, SALES_10M } from './lib/data';
import { startInProcessGateway } from './lib/gateway';
import { graphql } from './lib/http';
import { dashboardOperation, KPI_SETS, ONE_DAY, rangeVariables } from './lib/queries';
import { median } from './lib/stats';

// Profiling aid only: the JS path of a GraphQL KPI request with ClickHouse's answer replayed.
(async () => {
  const dir = await ensureLoadedDataDir(SALES_10M);
  const dataset = datasetOf(SALES_10M);
  const gateway = await startInProcessGateway(dir, { CACHE_TTL_SECONDS: '0' });
  const shape = (process.argv[2] ?? 'totals') as 'totals';
  const operation = dashboardOperation(shape, KPI_SETS.sums);
  const variables = rangeVariables(dataset, ONE_DAY);
  const wh = gateway.warehouse as any;
  const orig = wh.query.bind(wh);
  const first = new Map<string, unknown>();
  wh.query = async (fragment: any, ...rest: any[]) => { if (!first.has(fragment.query)) first.set(fragment.query, await orig(fragment, ...rest)); return first.get(fragment.query); };
  const floor: number[] = [], total: number[] = [];
  for (let i = 0; i < Number(process.argv[3] ?? 3000); i++) {
    let t = performance.now();
    await graphql(gateway.graphqlUrl, operation, variables);
    total.push(performance.now() - t);
    t = performance.now();
    await graphql(gateway.graphqlUrl, '{ __typename }');
    floor.push(performance.now() - t);
  }
  console.log({ shape, kpiRequestMs: median(total), floorMs: median(floor) });
  await gateway.close();
})();
