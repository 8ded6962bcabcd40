import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { toKpiRow } from '../../src/kpi/evaluation/kpi-evaluator';
import { kpiKind } from '../../src/kpi/definitions/kpi-kinds';
import type { KpiRequest } from '../../src/kpi/kpi-types';
import { datasetSizeOf, datasetSizeStatement } from '../../src/kpi/planning/dataset-size';
import { compileKpiQuery } from '../../src/kpi/planning/kpi-planner';
import type { CompiledQuery, DatasetSize } from '../../src/kpi/planning/planner-types';
import { estimatedRows, FIXED_ROWS } from '../../src/kpi/planning/size-rule';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { DATA_TO } from './data';
import { answersFromRows, assertSameAnswers, kpiRequest, RAW_UNIQUE_KPIS, SUM_KPIS } from './queries';
import { fmtCount, fmtMs, fmtRatio, interleave, median, type Report } from './stats';

const DAY_MS = 86_400_000;
/** Range lengths from half a day to the whole data, each starting and ending mid-hour. */
const DAYS = [0.5, 1, 2, 4, 8, 16, 45];
const ROUNDS = 5;

/**
 * Calibrates the size rule's fixed cost per table read (`FIXED_ROWS`): "up to now" ranges of
 * growing length, each answered by the raw table and by the stitched pieces (forced by telling the
 * planner the dataset is huge), and what the rule picks with the dataset's real size. The rule is
 * right when its pick is not slower than the faster of the two (within the noise, 10 %).
 */
export async function calibrateSizeRule(
  report: Report,
  ctx: { warehouse: Warehouse; dataset: string; completeColumns: string[]; rows: number },
): Promise<void> {
  const sales = kpiKind('sales');
  const statement = datasetSizeStatement(sales, 'kpi', { name: ctx.dataset, hiddenUploads: new Set() });
  if (!statement) return;
  const size = datasetSizeOf(
    sales,
    (await ctx.warehouse.query<Record<string, unknown>>(statement)).rows[0],
    ctx.rows,
  );
  if (!size) return;
  const huge: DatasetSize = { ...size, rows: 1e12 };
  const state = { columns: new Set(DATASET_KINDS.sales.columns.map((c) => c.name)) };
  for (const kpis of [[...SUM_KPIS], [...SUM_KPIS, ...RAW_UNIQUE_KPIS]])
    for (const days of DAYS) {
      const to = new Date(DATA_TO.getTime() - 37_359_000);
      const range = { from: new Date(to.getTime() - days * DAY_MS - 1_234_000), to };
      const request: KpiRequest = { ...kpiRequest(ctx.dataset, 'totals', kpis), range };
      const base = { database: 'kpi', hiddenUploads: [], completeColumns: ctx.completeColumns };
      const raw = compileKpiQuery(request, { ...base, source: 'raw' });
      const stitched = compileKpiQuery(request, { ...base, size: huge });
      const picked = compileKpiQuery(request, { ...base, size });
      const run = (c: CompiledQuery) => ctx.warehouse.query<Record<string, unknown>>(c.fragment);
      const answer = async (c: CompiledQuery) =>
        answersFromRows((await run(c)).rows.map((row) => toKpiRow(row, c, state)));
      assertSameAnswers(
        `${days} d: stitched vs raw`,
        await answer(raw),
        await answer(stitched),
        request.kpis,
      );
      const times = await interleave(ROUNDS, { raw: () => run(raw), stitched: () => run(stitched) });
      const ms = { raw: median(times.raw), stitched: median(times.stitched) };
      const pick = picked.sources ? 'stitched' : 'raw';
      const best = Math.min(ms.raw, ms.stitched);
      report.check({
        metric: `size rule, ${kpis.length > SUM_KPIS.length ? 'sums + 2 uniques' : 'sums'}, ${days} d up to now (~${fmtCount(Math.round(estimatedRows(size, [range])))} raw rows) → ${pick}`,
        value: fmtMs(ms[pick]),
        baseline: `raw ${fmtMs(ms.raw)}, ${(stitched.sources ?? []).join('+')} ${fmtMs(ms.stitched)}`,
        ratio: fmtRatio(ms[pick] / best),
        target: `the faster plan (within 10 %; FIXED_ROWS = ${fmtCount(FIXED_ROWS)})`,
        pass: ms[pick] <= best * 1.1,
      });
    }
}
