import type { KpiRequest } from '../src/kpi/kpi-types';
import { answersFromRows, assertSameAnswers, kpiRequest, rangeVariables, type Answer } from './lib/queries';
import { branchNames, datasetOf, ensureLoadedDataDir, SALES_60_BRANCHES } from './lib/data';
import { startInProcessGateway } from './lib/gateway';
import { graphql } from './lib/http';
import { required } from './lib/required';
import { fmtMs, fmtRatio, interleave, median, runScenario } from './lib/stats';

/**
 * A dashboard screen with 50 branch cards (4 KPIs each) in one GraphQL operation, through the
 * per-request DataLoader, vs the naive resolvers it replaces: one query per KPI field, and one
 * query per card in a loop. A 50-branch breakdown (one query by construction) shows what full
 * batching would cost. ClickHouse statements are counted with `warehouse.onQuery`; cache off.
 */
const CARDS = branchNames(SALES_60_BRANCHES.branches!).slice(0, 50);
const CARD_KPIS = ['grossMargin', 'netSales', 'totalRevenue', 'transactions'];
const ROUNDS = 3;
const SPEED_TARGET = 5;

const kpiFields = CARD_KPIS.map((id) => `${id} { value }`).join(' ');
const range = 'range: { from: $from, to: $to }';
const CARDS_OPERATION = `query($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  ${CARDS.map((branch, i) => `c${i}: sales(dataset: $dataset, ${range}, filter: { branch: ${JSON.stringify([branch])} }) { totals { ${kpiFields} } }`).join('\n  ')}
}`;
const BREAKDOWN_OPERATION = `query($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  sales(dataset: $dataset, ${range}, filter: { branch: ${JSON.stringify(CARDS)} }) { breakdown(by: BRANCH, top: 50, orderBy: NET_SALES) { key kpis { ${kpiFields} } } }
}`;

type Kpis = Record<string, { value: number | null }>;
const flat = (kpis: Kpis) => Object.fromEntries(Object.entries(kpis).map(([id, v]) => [id, v.value]));

runScenario('batching', async (report) => {
  const dir = await ensureLoadedDataDir(SALES_60_BRANCHES);
  const dataset = datasetOf(SALES_60_BRANCHES);
  const gateway = await startInProcessGateway(dir, { CACHE_TTL_SECONDS: '0' });
  const kpi = gateway.services.kpi;
  const card = (branch: string, kpis: string[]): KpiRequest =>
    kpiRequest(dataset, 'totals', kpis, { branch: [branch] });
  let queries = 0;
  gateway.warehouse.onQuery((event) => (queries += event.kind === 'query' ? 1 : 0));

  const variants: Record<string, () => Promise<Answer[]>> = {
    dataloader: async () => {
      const data = await graphql<Record<string, { totals: Kpis }>>(
        gateway.graphqlUrl,
        CARDS_OPERATION,
        rangeVariables(dataset),
      );
      return CARDS.map((branch, i) => ({
        key: branch,
        kpis: flat(required(data[`c${i}`], `card c${i}`).totals),
      }));
    },
    // What graphql-js does with a resolver that queries per field: every field at once.
    'naive per field': async () => {
      const cards = await Promise.all(
        CARDS.map(async (branch) => ({
          branch,
          fields: await Promise.all(CARD_KPIS.map((id) => kpi.answer(card(branch, [id])))),
        })),
      );
      return cards.map(({ branch, fields }) => ({
        key: branch,
        kpis: Object.assign({}, ...fields.map((f) => required(answersFromRows(f.rows)[0], branch).kpis)),
      }));
    },
    'naive per card loop': async () => {
      const out: Answer[] = [];
      for (const branch of CARDS)
        out.push({
          ...required(answersFromRows((await kpi.answer(card(branch, CARD_KPIS))).rows)[0], branch),
          key: branch,
        });
      return out;
    },
    'breakdown (1 query)': async () => {
      const data = await graphql<{ sales: { breakdown: Array<{ key: string; kpis: Kpis }> } }>(
        gateway.graphqlUrl,
        BREAKDOWN_OPERATION,
        rangeVariables(dataset),
      );
      return data.sales.breakdown.map((g) => ({ key: g.key, kpis: flat(g.kpis) }));
    },
  };

  try {
    const counts: Record<string, number> = {};
    let reference: Answer[] | null = null;
    for (const [name, run] of Object.entries(variants)) {
      queries = 0;
      const answers = await run();
      counts[name] = queries;
      if (reference) assertSameAnswers(`50 cards: ${name} vs dataloader`, reference, answers, CARD_KPIS);
      else reference = answers;
    }
    // The equality pass above warmed every path, so no round is discarded.
    const times = await interleave(
      ROUNDS,
      Object.fromEntries(Object.entries(variants).map(([name, run]) => [name, () => run()])),
      0,
    );
    const medians = Object.fromEntries(Object.entries(times).map(([name, t]) => [name, median(t)]));
    const ms = (name: string) => required(medians[name], `${name} timing`);
    const count = (name: string) => required(counts[name], `${name} query count`);

    report.check({
      metric: 'ClickHouse queries for 50 cards via DataLoader',
      value: String(count('dataloader')),
      baseline: `naive per field ${count('naive per field')}, per card ${count('naive per card loop')}`,
      ratio: '',
      target: '1 query',
      pass: count('dataloader') === 1,
    });
    for (const naive of ['naive per field', 'naive per card loop']) {
      const speedup = ms(naive) / ms('dataloader');
      report.check({
        metric: `50 cards via DataLoader vs ${naive}`,
        value: fmtMs(ms('dataloader')),
        baseline: fmtMs(ms(naive)),
        ratio: `${fmtRatio(speedup)} faster`,
        target: `≥ ${SPEED_TARGET}× faster`,
        pass: speedup >= SPEED_TARGET,
      });
    }
    report.info(
      `same 50 branches as one breakdown (${count('breakdown (1 query)')} query)`,
      fmtMs(ms('breakdown (1 query)')),
      `DataLoader cards ${fmtMs(ms('dataloader'))}`,
      `${fmtRatio(ms('dataloader') / ms('breakdown (1 query)'))} faster`,
    );
  } finally {
    await gateway.close();
  }
});
