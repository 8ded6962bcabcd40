import path from 'node:path';
import { DatasetDirectory } from '../src/datasets/dataset-directory';
import { DATASET_KINDS } from '../src/datasets/dataset-kinds';
import { UploadLedger } from '../src/ingest/upload-ledger';
import { toKpiRow } from '../src/kpi/evaluation/kpi-evaluator';
import { compileKpiQuery } from '../src/kpi/planning/kpi-planner';
import type { KpiRequest } from '../src/kpi/kpi-types';
import type { CompiledQuery, QuerySource } from '../src/kpi/planning/planner-types';
import { rollupMismatch } from '../src/kpi/planning/query-source';
import { kpiKind } from '../src/kpi/definitions/kpi-kinds';
import { createWarehouse } from '../src/warehouse/create-warehouse';
import { sql, trustedTable } from '../src/warehouse/sql';
import type { Warehouse } from '../src/warehouse/warehouse';
import {
  DATA_FROM,
  DATA_TO,
  datasetOf,
  ensureLoadedDataDir,
  profileOf,
  SALES_10M,
  SALES_10M_REALISTIC,
  SALES_1M_REALISTIC,
  type CsvSpec,
} from './lib/data';
import {
  answersFromRows,
  assertSameAnswers,
  KPI_SETS,
  kpiRequest,
  RAW_UNIQUE_KPIS,
  SUM_KPIS,
  SHAPES,
  type KpiSetName,
  type ShapeName,
} from './lib/queries';
import { required } from './lib/required';
import { calibrateSizeRule } from './lib/size-calibration';
import { fmtCount, fmtMs, fmtRatio, interleave, median, runScenario, type Report } from './lib/stats';

/**
 * Rollups vs raw at 10 M rows: every dashboard shape with and without unique counts, the same
 * planner request compiled once per table that can answer it exactly (the planner's `source`
 * override: every rollup level that answers, the raw table), run through the warehouse layer
 * interleaved. Every table must give the same numbers.
 */
const ROUNDS = 3;
const SUMS_TARGET = 3;

async function tableRows(warehouse: Warehouse, table: string, dataset: string): Promise<number> {
  const { rows } = await warehouse.query<{ n: string }>(
    sql`SELECT count() AS n FROM ${trustedTable('kpi', table)} WHERE dataset = ${dataset}`,
  );
  return Number(rows[0]?.n);
}

/** The file to measure: `npm run bench:rollup-vs-raw -- realistic-1m` (default: the 10 M uniform file). */
const SPECS: Record<string, CsvSpec> = {
  'uniform-10m': SALES_10M,
  'realistic-1m': SALES_1M_REALISTIC,
  'realistic-10m': SALES_10M_REALISTIC,
};
const SPEC = SPECS[process.argv[2] ?? 'uniform-10m'] ?? SALES_10M;

runScenario('rollup-vs-raw', async (report: Report) => {
  const dir = await ensureLoadedDataDir(SPEC);
  const dataset = datasetOf(SPEC);
  report.info('data', `${SPEC.rows.toLocaleString('en-US')} rows`, '', profileOf(SPEC));
  const warehouse = await createWarehouse({
    mode: 'embedded',
    path: path.join(dir, 'chdb'),
    poolSize: 1,
    database: 'kpi',
  });
  try {
    const state = (await DatasetDirectory.fromUploads(await new UploadLedger(warehouse).all())).get(dataset)!;
    // What the gateway's planner is told: optional columns every loaded row carries need no coverage count.
    const completeColumns = [...state.completeColumns].sort();
    const raw = await tableRows(warehouse, 'sales_raw', dataset);
    for (const level of DATASET_KINDS.sales.rollups) {
      const rows = await tableRows(warehouse, level.table, dataset);
      report.info(
        `rows in ${level.table} (source ${level.grain})`,
        fmtCount(rows),
        `raw ${fmtCount(raw)}`,
        `${(raw / rows).toFixed(1)}× fewer`,
      );
    }

    for (const shape of Object.keys(SHAPES) as ShapeName[]) {
      for (const set of Object.keys(KPI_SETS) as KpiSetName[]) {
        const request = kpiRequest(dataset, shape, KPI_SETS[set]);
        const planned = compileKpiQuery(request, { database: 'kpi', hiddenUploads: [], completeColumns });
        // A stitched plan (several sources in one statement) is timed as the raw table here.
        const chosen = planned.sources ? 'raw' : planned.source;
        const sales = kpiKind('sales');
        const measures = compileKpiQuery(request, {
          database: 'kpi',
          hiddenUploads: [],
          completeColumns,
          source: 'raw',
        }).measures;
        const sources: QuerySource[] = [
          ...DATASET_KINDS.sales.rollups
            .filter((level) => rollupMismatch(request, sales, measures, level) === null)
            .map((level) => level.grain),
          'raw',
        ];
        const compiled = Object.fromEntries(
          sources.map((source) => [
            source,
            compileKpiQuery(request, { database: 'kpi', hiddenUploads: [], completeColumns, source }),
          ]),
        ) as Record<QuerySource, CompiledQuery>;
        const run = (source: QuerySource) =>
          warehouse.query<Record<string, unknown>>(compiled[source].fragment);

        // Same numbers from every table before any timing counts.
        const answers = Object.fromEntries(
          await Promise.all(
            sources.map(
              async (s) =>
                [
                  s,
                  answersFromRows((await run(s)).rows.map((row) => toKpiRow(row, compiled[s], state))),
                ] as const,
            ),
          ),
        );
        for (const s of sources)
          if (s !== 'raw')
            assertSameAnswers(
              `${shape} / ${set}: ${s} rollup vs raw`,
              required(answers.raw, 'raw answers'),
              required(answers[s], `${s} answers`),
              KPI_SETS[set],
            );

        const times = await interleave(
          ROUNDS,
          Object.fromEntries(sources.map((s) => [s, () => run(s)])) as Record<
            QuerySource,
            () => Promise<unknown>
          >,
        );
        const ms = (s: QuerySource) => median(times[s]);
        const label = `${shape}, ${set}`;
        if (sources.length === 1) {
          report.check({
            metric: `${label}: planner → raw (no rollup can answer)`,
            value: fmtMs(ms('raw')),
            baseline: '',
            ratio: '',
            target: 'planner not slower than raw',
            pass: chosen === 'raw',
          });
          continue;
        }
        if (set === 'sums') {
          const speedup = ms('raw') / ms(chosen);
          report.check({
            metric: `${label}: planner → ${chosen}`,
            value: fmtMs(ms(chosen)),
            baseline: sources
              .filter((s) => s !== chosen)
              .map((s) => `${s} ${fmtMs(ms(s))}`)
              .join(', '),
            ratio: `${fmtRatio(speedup)} faster than raw`,
            target: `≥ ${SUMS_TARGET}× faster than raw`,
            pass: speedup >= SUMS_TARGET,
          });
        } else {
          const baseline = sources
            .filter((s) => s !== chosen)
            .map((s) => `${s} ${fmtMs(ms(s))}`)
            .join(', ');
          report.check({
            metric: `${label}: planner → ${chosen}`,
            value: fmtMs(ms(chosen)),
            baseline,
            ratio: `${fmtRatio(ms('raw') / ms(chosen))} vs raw`,
            target: 'planner not slower than raw',
            pass: ms(chosen) <= ms('raw'),
          });
        }
      }
    }
    await planned(report, { warehouse, dataset, completeColumns, state });
    await calibrateSizeRule(report, { warehouse, dataset, completeColumns, rows: raw });
  } finally {
    await warehouse.close();
  }
});

/**
 * Questions no single table answers on its whole buckets: "up to now" totals (whole days, edge
 * hours and sub-hour edges stitched in one statement), with and without distinct customers and
 * products, and an Asia/Kolkata day series (15-minute buckets). Planner vs the raw table forced.
 */
async function planned(
  report: Report,
  ctx: {
    warehouse: Warehouse;
    dataset: string;
    completeColumns: string[];
    state: Parameters<typeof toKpiRow>[2];
  },
): Promise<void> {
  const upToNow = { from: DATA_FROM, to: new Date(DATA_TO.getTime() - 37_359_000) };
  const cases: [string, KpiRequest][] = [
    ['up to now (ends mid-hour), sums', { ...kpiRequest(ctx.dataset, 'totals', SUM_KPIS), range: upToNow }],
    [
      'up to now, sums + unique customers and products',
      { ...kpiRequest(ctx.dataset, 'totals', [...SUM_KPIS, ...RAW_UNIQUE_KPIS]), range: upToNow },
    ],
    [
      'totals, sums + unique customers and products',
      kpiRequest(ctx.dataset, 'totals', [...SUM_KPIS, ...RAW_UNIQUE_KPIS]),
    ],
    [
      'Asia/Kolkata daily series, sums',
      { ...kpiRequest(ctx.dataset, 'daily series (90 d)', SUM_KPIS), timeZone: 'Asia/Kolkata' },
    ],
  ];
  for (const [label, request] of cases) {
    const base = { database: 'kpi', hiddenUploads: [], completeColumns: ctx.completeColumns };
    const plan = compileKpiQuery(request, base);
    const raw = compileKpiQuery(request, { ...base, source: 'raw' });
    const run = (c: CompiledQuery) => ctx.warehouse.query<Record<string, unknown>>(c.fragment);
    const answer = async (c: CompiledQuery) =>
      answersFromRows((await run(c)).rows.map((row) => toKpiRow(row, c, ctx.state)));
    assertSameAnswers(`${label}: planner vs raw`, await answer(raw), await answer(plan), request.kpis);
    const times = await interleave(ROUNDS, { plan: () => run(plan), raw: () => run(raw) });
    const speedup = median(times.raw) / median(times.plan);
    report.check({
      metric: `${label}: planner → ${(plan.sources ?? [plan.source]).join(' + ')}`,
      value: fmtMs(median(times.plan)),
      baseline: `raw ${fmtMs(median(times.raw))}`,
      ratio: `${fmtRatio(speedup)} faster`,
      target: 'not slower than raw',
      pass: speedup >= 1,
    });
  }
}
