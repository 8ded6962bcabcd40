import path from 'node:path';
import { DatasetCatalog } from '../src/datasets/dataset-catalog';
import { UploadLedger } from '../src/ingest/upload-ledger';
import { toKpiRow } from '../src/kpi/kpi-evaluator';
import { compileKpiQuery, type QuerySource } from '../src/kpi/kpi-planner';
import { createWarehouse } from '../src/warehouse/create-warehouse';
import { sql } from '../src/warehouse/sql';
import type { Warehouse } from '../src/warehouse/warehouse';
import { datasetOf, ensureLoadedDataDir, SALES_10M } from './lib/data';
import { answersFromRows, assertSameAnswers, KPI_SETS, kpiRequest, SHAPES, type KpiSetName, type ShapeName } from './lib/queries';
import { fmtCount, fmtMs, fmtRatio, interleave, median, runScenario, type Report } from './lib/stats';

/**
 * Rollup vs raw at 10 M rows: every dashboard shape with and without unique counts, the same
 * planner request compiled once per table (the planner's `source` override), run through the
 * warehouse layer interleaved. Both tables must give the same numbers.
 */
const ROUNDS = 3;
const SUMS_TARGET = 3;

async function tableRows(warehouse: Warehouse, table: string, dataset: string): Promise<number> {
  const { rows } = await warehouse.query<{ n: string }>(sql(`SELECT count() AS n FROM kpi.${table} WHERE dataset = {d:String}`, { d: dataset }));
  return Number(rows[0].n);
}

runScenario('rollup-vs-raw', async (report: Report) => {
  const dir = await ensureLoadedDataDir(SALES_10M);
  const dataset = datasetOf(SALES_10M);
  const warehouse = await createWarehouse({ mode: 'embedded', path: path.join(dir, 'chdb'), poolSize: 1, database: 'kpi' });
  try {
    const state = (await DatasetCatalog.fromUploads(await new UploadLedger(warehouse).all())).get(dataset)!;
    const [raw, rollup] = [await tableRows(warehouse, 'sales_raw', dataset), await tableRows(warehouse, 'sales_hourly', dataset)];
    report.info('rows in raw / rollup', `${fmtCount(raw)} / ${fmtCount(rollup)}`, '', `${(raw / rollup).toFixed(1)}× fewer`);

    for (const shape of Object.keys(SHAPES) as ShapeName[]) {
      for (const set of Object.keys(KPI_SETS) as KpiSetName[]) {
        const request = kpiRequest(dataset, shape, KPI_SETS[set]);
        const chosen = compileKpiQuery(request, { database: 'kpi', hiddenUploads: [] }).source;
        const sources: QuerySource[] = set === 'sums+all-uniques' ? ['raw'] : ['rollup', 'raw'];
        const compiled = Object.fromEntries(sources.map((source) => [source, compileKpiQuery(request, { database: 'kpi', hiddenUploads: [], source })]));
        const run = (source: QuerySource) => warehouse.query<Record<string, unknown>>(compiled[source].fragment);

        // Same numbers from both tables before any timing counts.
        const answers = await Promise.all(sources.map(async (s) => answersFromRows((await run(s)).rows.map((row) => toKpiRow(row, compiled[s], state)))));
        if (answers.length === 2) assertSameAnswers(`${shape} / ${set}: rollup vs raw`, answers[1], answers[0], KPI_SETS[set]);

        const times = await interleave(ROUNDS, Object.fromEntries(sources.map((s) => [s, () => run(s)])) as Record<QuerySource, () => Promise<unknown>>);
        const rawMs = median(times.raw);
        const label = `${shape}, ${set}`;
        if (!times.rollup) {
          report.check({ metric: `${label}: planner → raw (rollup cannot answer)`, value: fmtMs(rawMs), baseline: '', ratio: '', target: 'planner not slower than raw', pass: chosen === 'raw' });
          continue;
        }
        const rollupMs = median(times.rollup);
        const speedup = rawMs / rollupMs;
        if (set === 'sums') {
          report.check({ metric: `${label}: rollup`, value: fmtMs(rollupMs), baseline: `raw ${fmtMs(rawMs)}`, ratio: `${fmtRatio(speedup)} faster`, target: `≥ ${SUMS_TARGET}× faster`, pass: speedup >= SUMS_TARGET });
        } else {
          const plannerMs = chosen === 'rollup' ? rollupMs : rawMs;
          report.check({ metric: `${label}: planner → ${chosen}`, value: fmtMs(plannerMs), baseline: `raw ${fmtMs(rawMs)}, rollup ${fmtMs(rollupMs)}`, ratio: `${fmtRatio(rawMs / plannerMs)} vs raw`, target: 'planner not slower than raw', pass: plannerMs <= rawMs });
        }
      }
    }
  } finally {
    await warehouse.close();
  }
});
