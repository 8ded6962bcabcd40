import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createClient } from 'graphql-ws';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import WebSocket from 'ws';
import { Authenticator } from '../src/auth/authenticator';
import { AuthAttempts } from '../src/server/auth-failure-limit';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/config/logger';
import { UploadLedger } from '../src/ingest/upload-ledger';
import { attachSubscriptions } from '../src/server/subscription-server';
import { startReplicaPair } from '../test/support/replica-pair';
import { csvHeader, csvLine, generateSalesRows } from '../test/support/sales-fixture';
import {
  datasetOf,
  DATA_FROM,
  DATA_TO,
  ensureLoadedDataDir,
  profileOf,
  SALES_10M_REALISTIC,
} from './lib/data';
import { spawnGateway } from './lib/gateway';
import { ROOT } from './lib/paths';
import { fmtMs, median, percentile, runScenario, type Report } from './lib/stats';

/**
 * The dashboard as a person meets it (issue 15): the JavaScript it downloads (gzipped, against its
 * budget), the time from navigation to filled KPI cards in headless chromium over 10 M realistic
 * rows loaded through the gateway, and the delay from an upload's LOADED on one replica to the
 * subscription event a client of a second replica (sharing Redis) receives.
 */
const JS_BUDGET_BYTES = 150 * 1024;
const NAVIGATIONS = Number(process.env.BENCH_NAVIGATIONS ?? 10);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 12);
const CARD = 'article[data-kpi="netSales"] .value[data-value]';

function scriptBytes(report: Report): void {
  const assets = path.join(ROOT, 'dist/dashboard/assets');
  const scripts = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
  const raw = scripts.reduce((sum, f) => sum + fs.statSync(path.join(assets, f)).size, 0);
  const gzipped = scripts.reduce((sum, f) => sum + gzipSync(fs.readFileSync(path.join(assets, f))).length, 0);
  report.check({
    metric: `dashboard JavaScript, gzipped (${scripts.length} file, ${(raw / 1000).toFixed(0)} kB minified)`,
    value: `${(gzipped / 1000).toFixed(1)} kB`,
    baseline: '',
    ratio: '',
    target: `≤ ${JS_BUDGET_BYTES / 1024} KiB`,
    pass: gzipped <= JS_BUDGET_BYTES,
  });
}

function chromiumPath(): string {
  return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
    encoding: 'utf8',
  }).trim();
}

/** The view's one operation, request sent to response read, as the browser timed it. */
const operationMs: number[] = [];

/** Navigation to the sales view until its first KPI card holds a value, in a context given or fresh. */
async function navigate(browser: Browser, url: string, context?: BrowserContext): Promise<number> {
  const ctx =
    context ?? (await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC' }));
  const page = await ctx.newPage();
  page.on('requestfinished', (request) => {
    if (request.postData()?.includes('"operationName":"DashboardSalesView"'))
      operationMs.push(request.timing().responseEnd - request.timing().requestStart);
  });
  try {
    const started = performance.now();
    await page.goto(url);
    await page.locator(CARD).waitFor({ timeout: 120_000 });
    return performance.now() - started;
  } finally {
    await page.close();
    if (!context) await ctx.close();
  }
}

function line(report: Report, metric: string, times: number[]): void {
  const operation = operationMs.splice(0);
  report.info(
    metric,
    `p50 ${fmtMs(median(times))}`,
    '',
    `min ${fmtMs(Math.min(...times))}, max ${fmtMs(Math.max(...times))}, n=${times.length}; of which DashboardSalesView p50 ${operation.length > 0 ? fmtMs(median(operation)) : 'not sent'}`,
  );
}

async function kpiCards(report: Report): Promise<void> {
  const dir = await ensureLoadedDataDir(SALES_10M_REALISTIC);
  report.note(
    `data: ${SALES_10M_REALISTIC.rows.toLocaleString('en-US')} rows, ${profileOf(SALES_10M_REALISTIC)}; loaded through the gateway, merged once`,
  );
  report.note(
    `load average at the start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
  );
  const last = new Date(DATA_TO.getTime() - 86_400_000).toISOString().slice(0, 10);
  const query = `/?view=sales&dataset=${datasetOf(SALES_10M_REALISTIC)}&range=custom&from=${DATA_FROM.toISOString().slice(0, 10)}&to=${last}&tz=UTC&grain=DAY`;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    // Cold: a gateway just started (empty KPI and response caches) and a browser without cached files.
    const cold: number[] = [];
    for (let i = 0; i < NAVIGATIONS; i += 1) {
      const gateway = await spawnGateway(dir);
      try {
        cold.push(await navigate(browser, `${gateway.url}${query}`));
      } finally {
        await gateway.stop();
      }
    }
    line(report, 'navigation → KPI cards, 10 M rows, cold (fresh gateway, fresh browser context)', cold);
    const gateway = await spawnGateway(dir);
    try {
      await navigate(browser, `${gateway.url}${query}`);
      operationMs.length = 0;
      const warmGateway: number[] = [];
      for (let i = 0; i < NAVIGATIONS; i += 1)
        warmGateway.push(await navigate(browser, `${gateway.url}${query}`));
      line(report, '… gateway caches warm, fresh browser context (assets downloaded)', warmGateway);
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC' });
      await navigate(browser, `${gateway.url}${query}`, context);
      operationMs.length = 0;
      const warm: number[] = [];
      for (let i = 0; i < NAVIGATIONS; i += 1)
        warm.push(await navigate(browser, `${gateway.url}${query}`, context));
      line(report, '… warm (gateway caches and browser cache)', warm);
      await context.close();
    } finally {
      await gateway.stop();
    }
  } finally {
    await browser.close();
  }
  report.note(
    `load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
  );
}

/** Replica A loads; a graphql-ws client of replica B (its own directory, shared Redis) hears of it. */
async function replicaDelay(report: Report): Promise<void> {
  const pair = await startReplicaPair();
  const logger = createLogger('silent');
  const config = loadConfig({
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-bench-ws-')),
    LOG_LEVEL: 'silent',
  });
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const subscriptions = attachSubscriptions(server, {
    auth: new AuthAttempts(await Authenticator.create(config.auth, logger), config.auth.failures),
    services: {
      directory: pair.b.catalog,
      kpi: pair.b.kpi,
      ingest: pair.b.ingest,
      ledger: new UploadLedger(pair.warehouse),
    },
    logger,
    allowedHosts: config.auth.allowedHosts,
    documentLimits: config.limits.document,
    connectionLimits: { total: 10, perCaller: 10 },
    production: true,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = createClient({
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    webSocketImpl: WebSocket,
  });
  const heard = new Map<string, number>();
  const stop = client.subscribe<{ dataChanged: { uploadId: string } }>(
    { query: 'subscription { dataChanged(dataset: "delay") { uploadId dataVersion } }' },
    {
      next: (event) => heard.set(event.data?.dataChanged.uploadId ?? '', Date.now()),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const delays: number[] = [];
  try {
    for (let i = 0; i < UPLOADS; i += 1) {
      const rows = generateSalesRows({
        seed: 500 + i,
        rows: 200,
        from: new Date('2025-06-01T00:00:00Z'),
        days: 3,
      });
      const body = Readable.from([`${csvHeader()}\n${rows.map((r) => csvLine(r)).join('\n')}\n`]);
      const upload = await pair.a.ingest.ingest({ dataset: 'delay', kind: 'sales', body });
      if (upload.status !== 'LOADED' || !upload.finishedAt)
        throw new Error(`upload ${i} ended ${upload.status}`);
      const deadline = Date.now() + 10_000;
      while (!heard.has(upload.id) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 1));
      const at = heard.get(upload.id);
      if (at === undefined) throw new Error(`no event for upload ${i} in 10 s`);
      delays.push(at - upload.finishedAt.getTime());
    }
  } finally {
    stop();
    await client.dispose();
    await subscriptions.close();
    server.close();
    await pair.close();
  }
  report.info(
    `LOADED on replica A → dataChanged at a graphql-ws client of replica B (Redis), ${delays.length} uploads`,
    `median ${fmtMs(median(delays))}, p95 ${fmtMs(percentile(delays, 95))}`,
    '',
    `min ${fmtMs(Math.min(...delays))}, max ${fmtMs(Math.max(...delays))}`,
  );
}

runScenario('dashboard', async (report) => {
  scriptBytes(report);
  if (!process.argv.includes('--no-10m')) await kpiCards(report);
  await replicaDelay(report);
});
