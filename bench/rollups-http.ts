import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATASET_KINDS } from '../src/datasets/dataset-kinds';
import { toKpiRow } from '../src/kpi/evaluation/kpi-evaluator';
import type { KpiRequest } from '../src/kpi/kpi-types';
import { compileKpiQuery } from '../src/kpi/planning/kpi-planner';
import { createWarehouse } from '../src/warehouse/create-warehouse';
import { trustedSql } from '../src/warehouse/sql';
import type { Warehouse } from '../src/warehouse/warehouse';
import {
  csvPath,
  DATA_FROM,
  DATA_TO,
  datasetOf,
  ensureCsv,
  ensureLoadedDataDir,
  profileOf,
  SALES_10M_REALISTIC,
  SALES_1M_REALISTIC,
  type CsvSpec,
} from './lib/data';
import { spawnGateway } from './lib/gateway';
import { graphql } from './lib/http';
import { WORK_DIR } from './lib/paths';
import { answersFromRows, assertSameAnswers, SUM_KPIS, type Answer } from './lib/queries';
import { QUESTIONS, screenAnswers, SCREEN_OPERATION, type Question } from './lib/rollup-questions';
import { fmtMs, fmtRatio, interleave, median, percentile, runScenario } from './lib/stats';

/**
 * Issue 17's targets over HTTP: the gateway as deployed (a child process, GraphQL over HTTP, its
 * caches off: CACHE_TTL_SECONDS=0, RESPONSE_CACHE_MAX_BYTES=0) against chDB scanning a plain raw
 * MergeTree of the same file in this process (the planner's statement forced onto the raw table,
 * what a ClickHouse user would write), interleaved, same run. Every answer is compared first.
 * `npm run bench:rollups -- realistic-10m` for 10 M rows (default realistic-1m).
 */
const SPECS: Record<string, CsvSpec> = {
  'realistic-1m': SALES_1M_REALISTIC,
  'realistic-10m': SALES_10M_REALISTIC,
};
const SPEC = SPECS[process.argv[2] ?? 'realistic-1m'] ?? SALES_1M_REALISTIC;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SCREEN_ROUNDS = Number(process.env.BENCH_SCREEN_ROUNDS ?? 30);
const TEN_M = SPEC.rows >= 10_000_000;
const SCREEN_TARGET_MS = 50;

/** Same types and key as migration 0002's sales_raw; no rollups, no views. */
const RAW_DDL = `CREATE TABLE IF NOT EXISTS base.sales_raw (
  dataset LowCardinality(String), upload_id LowCardinality(String), time DateTime('UTC'),
  productLine LowCardinality(Nullable(String)), itemGroup LowCardinality(Nullable(String)),
  branch LowCardinality(Nullable(String)), salesPerson LowCardinality(Nullable(String)),
  account Nullable(String), item Nullable(String), customer Nullable(String),
  grossRevenue Decimal(18, 4), returnsValue Nullable(Decimal(18, 4)), unitsSold Nullable(Decimal(18, 4)),
  unitsReturned Nullable(Decimal(18, 4)), totalCost Nullable(Decimal(18, 4)), lineItemCount Nullable(Int64)
) ENGINE = MergeTree PARTITION BY toYYYYMM(time) ORDER BY (dataset, time)`;

const TYPES: Record<string, string> = {
  time: "DateTime('UTC')",
  money: 'Decimal(18, 4)',
  quantity: 'Decimal(18, 4)',
  integer: 'Int64',
  string: 'String',
};

/** The plain raw table of the same file, typed `file()` load, merged once; reused between runs. */
async function baselineWarehouse(spec: CsvSpec, dataset: string): Promise<Warehouse> {
  const dir = path.join(WORK_DIR, `raw-${spec.name}`);
  const marker = path.join(dir, 'loaded');
  const warehouse = await createWarehouse({
    mode: 'embedded',
    path: path.join(dir, 'chdb'),
    poolSize: 1,
    database: 'base',
  });
  if (fs.existsSync(marker)) return warehouse;
  const file = await ensureCsv(spec);
  await warehouse.command(trustedSql('CREATE DATABASE IF NOT EXISTS base'));
  await warehouse.command(trustedSql('DROP TABLE IF EXISTS base.sales_raw'));
  await warehouse.command(trustedSql(RAW_DDL));
  const columns = DATASET_KINDS.sales.columns;
  const structure = columns
    .map((c) => `${c.name} ${c.required ? TYPES[c.type] : `Nullable(${TYPES[c.type]})`}`)
    .join(', ');
  await warehouse.command(
    {
      query: `INSERT INTO base.sales_raw (${columns.map((c) => c.name).join(', ')}, dataset, upload_id) SELECT *, {dataset:String}, 'u' FROM file({file:String}, 'CSVWithNames', {structure:String})`,
      params: { file, dataset, structure },
    },
    { settings: { date_time_input_format: 'best_effort', input_format_with_names_use_header: 0 } },
  );
  await warehouse.command(trustedSql('OPTIMIZE TABLE base.sales_raw FINAL'));
  fs.writeFileSync(marker, new Date().toISOString());
  return warehouse;
}

/** Optional columns every row carries: what the gateway's ledger tells its planner (no coverage counted). */
async function completeColumnsOf(warehouse: Warehouse): Promise<string[]> {
  const optional = DATASET_KINDS.sales.columns.filter((c) => !c.required).map((c) => c.name);
  const { rows } = await warehouse.query<Record<string, string>>(
    trustedSql(
      `SELECT toString(count()) AS n, ${optional.map((c) => `toString(count(${c})) AS ${c}`).join(', ')} FROM base.sales_raw`,
    ),
  );
  const row = rows[0] ?? {};
  return optional.filter((c) => row[c] === row.n).sort();
}

runScenario(TEN_M ? 'rollups-http-10m' : 'rollups-http', async (report) => {
  const dir = await ensureLoadedDataDir(SPEC);
  const dataset = datasetOf(SPEC);
  const base = await baselineWarehouse(SPEC, dataset);
  const complete = await completeColumnsOf(base);
  const columns = { columns: new Set(DATASET_KINDS.sales.columns.map((c) => c.name)) };
  const gateway = await spawnGateway(dir, { CACHE_TTL_SECONDS: '0', RESPONSE_CACHE_MAX_BYTES: '0' });
  report.info('data', `${SPEC.rows.toLocaleString('en-US')} rows`, '', profileOf(SPEC));
  report.info(
    'load average at start',
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / '),
  );
  try {
    const rawStatement = (request: KpiRequest) =>
      compileKpiQuery(request, {
        database: 'base',
        hiddenUploads: [],
        completeColumns: complete,
        source: 'raw',
      });
    const rawAnswers = async (request: KpiRequest): Promise<Answer[]> => {
      const compiled = rawStatement(request);
      const { rows } = await base.query<Record<string, unknown>>(compiled.fragment);
      return answersFromRows(rows.map((row) => toKpiRow(row, compiled, columns)));
    };
    for (const question of QUESTIONS(dataset)) await measure(question);

    async function measure(question: Question): Promise<void> {
      const ask = () => graphql(gateway.graphqlUrl, question.operation, question.variables);
      const viaHttp = await graphqlWithExtensions(gateway.graphqlUrl, question);
      assertSameAnswers(
        `${question.label}: gateway vs raw scan`,
        await rawAnswers(question.request),
        question.answers(viaHttp.data),
        question.request.kpis,
      );
      const times = await interleave(ROUNDS, { gateway: ask, raw: () => rawAnswers(question.request) });
      const ratio = median(times.raw) / median(times.gateway);
      const need = TEN_M ? 5 : 2;
      report.check({
        metric: `${question.label} → ${viaHttp.sources}`,
        value: fmtMs(median(times.gateway)),
        baseline: `raw scan ${fmtMs(median(times.raw))}`,
        ratio: `${fmtRatio(ratio)} faster`,
        target: question.target
          ? `≥ ${need}× faster than the raw scan`
          : 'not slower than the raw scan, or the raw scan itself (then only HTTP + GraphQL differ)',
        pass: question.target ? ratio >= need : ratio >= 1 || viaHttp.sources === 'raw',
      });
    }

    // The whole dashboard screen (examples/report.graphql): one HTTP request, three KPI statements.
    const variables = { dataset, from: DATA_FROM.toISOString(), to: DATA_TO.toISOString() };
    const screen = () => graphql(gateway.graphqlUrl, SCREEN_OPERATION, variables);
    const screenRaw = async () => Promise.all(screenAnswers.requests(dataset).map((r) => rawAnswers(r)));
    const first = await graphqlWithExtensions(gateway.graphqlUrl, {
      operation: SCREEN_OPERATION,
      variables,
    });
    const expected = await screenRaw();
    screenAnswers.compare(first.data, expected);
    const times = await interleave(SCREEN_ROUNDS, { gateway: screen, raw: screenRaw });
    const p50 = median(times.gateway);
    report.check({
      metric: `dashboard screen (examples/report.graphql) → ${first.sources}`,
      value: `p50 ${fmtMs(p50)}, p99 ${fmtMs(percentile(times.gateway, 99))}`,
      baseline: `raw scan of its 3 statements p50 ${fmtMs(median(times.raw))}`,
      ratio: `${fmtRatio(median(times.raw) / p50)} faster`,
      target: TEN_M ? `p50 ≤ ${SCREEN_TARGET_MS} ms` : 'not slower than the raw scan',
      pass: TEN_M ? p50 <= SCREEN_TARGET_MS : p50 <= median(times.raw),
    });
    report.info(
      'load average at end',
      os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' / '),
    );
    report.note(`sums asked in every question: ${SUM_KPIS.length} KPIs; data file ${csvPath(SPEC)}`);
  } finally {
    await gateway.stop();
    await base.close();
  }
});

/** One answer with its `extensions.kpi`, to name the tables each statement read. */
async function graphqlWithExtensions(
  url: string,
  question: Pick<Question, 'operation' | 'variables'>,
): Promise<{ data: unknown; sources: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: question.operation, variables: question.variables }),
  });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: unknown;
    extensions?: { kpi?: { clickhouse?: { sources?: string[][] } } };
  };
  if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body).slice(0, 500)}`);
  const sources = body.extensions?.kpi?.clickhouse?.sources ?? [];
  return { data: body.data, sources: sources.map((s) => s.join('+')).join(', ') };
}
