import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium, screenshots, seriousViolations, watch } from './dashboard-browser';
import { ROOT, startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';
import {
  ALL_COLUMNS,
  KPI_IDS,
  expectKpi,
  expectedKpis,
  generateSalesRows,
  toCsv,
} from '../support/sales-fixture';
import {
  ELECTION,
  OVER_REGISTERED,
  UNREGISTERED,
  generateRegistry,
  generateTurnoutRows,
  registryCsv,
  turnoutCsv,
} from '../support/turnout-fixture';

/**
 * The dashboard in a real browser (Debian's chromium, driven by playwright-core): a fresh gateway,
 * an upload through the page, the sales view refreshed by the subscription (no reload), its KPI
 * cards checked against an independent computation of the same file, an accessibility scan of
 * each view, and screenshots in test-artifacts/.
 */
const ROWS = generateSalesRows({ seed: 15, rows: 300, from: new Date('2025-03-01T00:00:00Z'), days: 20 });
const RANGE = 'range=custom&from=2025-03-01&to=2025-03-31';

let gateway: GatewayProcess;
let browser: Browser;
let context: BrowserContext;
let csvFile: string;

beforeAll(async () => {
  gateway = await startGatewayProcess();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC' });
  csvFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-dash-')), 'march.csv');
  fs.writeFileSync(csvFile, toCsv(ROWS));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
});

async function cardOf(
  page: Page,
  kpi: string,
): Promise<{ value: number | null; unavailable: { reason: string } | null }> {
  const card = page.locator(`article[data-kpi="${kpi}"]`);
  const value = await card.locator('.value').getAttribute('data-value');
  const reasons = card.locator('.reason');
  const reason = (await reasons.count()) > 0 ? await reasons.getAttribute('data-reason') : null;
  return { value: value === null ? null : Number(value), unavailable: reason ? { reason } : null };
}

test('an upload through the page reaches an open sales view by subscription; its cards match an independent computation', async () => {
  const sales = await context.newPage();
  const seen = watch(sales);
  let navigations = 0;
  sales.on('framenavigated', (frame) => {
    if (frame === sales.mainFrame()) navigations += 1;
  });
  const response = await sales.goto(`${gateway.url}/?view=sales&dataset=march&${RANGE}&tz=UTC&grain=DAY`);
  const headers = response!.headers();
  expect(headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
  expect(headers['cache-control']).toBe('no-cache');
  await sales.getByRole('heading', { name: 'No sales data in march yet' }).waitFor();
  expect(await seriousViolations(sales)).toEqual([]);

  const uploads = await context.newPage();
  await uploads.goto(`${gateway.url}/?view=uploads`);
  await uploads.getByLabel('Dataset').fill('march');
  await uploads.locator('input[type=file]').setInputFiles(csvFile);
  await uploads.locator('[data-status="LOADED"]').waitFor({ timeout: 60_000 });
  expect(await uploads.locator('progress').getAttribute('value')).toBe('1');
  await uploads.screenshot({ path: path.join(ARTIFACTS, 'dashboard-uploads-1280.png'), fullPage: true });
  expect(await seriousViolations(uploads)).toEqual([]);

  // The first page heard of it: no reload, no navigation.
  await sales.locator('article[data-kpi="netSales"] .value[data-value]').waitFor({ timeout: 20_000 });
  expect(navigations).toBe(1);
  expect(await sales.locator('.live').innerText()).toMatch(/Updated live: march is at data version \d+/);
  const expected = expectedKpis(ROWS, ALL_COLUMNS);
  for (const kpi of KPI_IDS) expectKpi(await cardOf(sales, kpi), expected[kpi]!, `card.${kpi}`);
  // Money shows exactly, to the cent.
  const net = (expected.netSales as { value: number }).value;
  expect(await sales.locator('article[data-kpi="netSales"] .value').innerText()).toBe(
    net.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  );
  await sales.screenshot({ path: path.join(ARTIFACTS, 'dashboard-sales-1280.png'), fullPage: true });
  expect(await seriousViolations(sales)).toEqual([]);
  expect(seen.problems).toEqual([]);
}, 180_000);

test('grain, time zone and breakdown each take one operation and land in the URL', async () => {
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(`${gateway.url}/?view=sales&dataset=march&${RANGE}&tz=UTC&grain=DAY`);
  await page.locator('article[data-kpi="netSales"] .value[data-value]').waitFor();
  const before = seen.operations.length;

  await page.getByLabel('Grain').selectOption('HOUR');
  await page.getByRole('heading', { name: /netSales per hour \(UTC\)/ }).waitFor();
  await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
  await page.getByRole('heading', { name: /netSales per hour \(Asia\/Tokyo\)/ }).waitFor();
  await page.getByLabel('Break down by').selectOption('PRODUCT_LINE');
  await page.waitForURL(/by=PRODUCT_LINE/);
  await page.locator('table.breakdown tbody tr').first().waitFor();
  expect(seen.operations.slice(before)).toEqual([
    'DashboardSalesView',
    'DashboardSalesView',
    'DashboardSalesView',
  ]);
  expect(page.url()).toMatch(/grain=HOUR/);
  expect(page.url()).toMatch(/tz=Asia%2FTokyo/);

  // Every product line fits in the top 10: the shares add up to the whole.
  const shares = await page.locator('table.breakdown .share').allInnerTexts();
  const total = shares.map((s) => Number(s.replace('%', ''))).reduce((a, b) => a + b, 0);
  expect(Math.abs(total - 100)).toBeLessThan(0.5);
  // A deep link opens the same view.
  const again = await context.newPage();
  await again.goto(page.url());
  await again.locator('table.breakdown tbody tr').first().waitFor();
  expect(await again.getByLabel('Grain').inputValue()).toBe('HOUR');
  expect(await again.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');

  // Chart and table ask for unique counts only while one is shown: then they hold its values.
  const unique = await context.newPage();
  await unique.goto(page.url().replace(/kpi=[^&]*/, 'kpi=uniqueCustomers'));
  await unique.getByRole('heading', { name: /uniqueCustomers per hour \(Asia\/Tokyo\)/ }).waitFor();
  await unique.locator('table.breakdown tbody tr').first().waitFor();
  const cells = await unique.locator('table.breakdown tbody td.num:not(:has(.share))').allInnerTexts();
  expect(cells.length).toBeGreaterThan(0);
  for (const cell of cells) expect(cell).toMatch(/^\d/);
}, 120_000);

test('a dataset without cost data shows margin greyed with its reason, never 0; readable at 390 px', async () => {
  const columns = ALL_COLUMNS.filter((c) => c !== 'costCents');
  expect(await upload(gateway.url, 'no-cost', toCsv(ROWS, columns))).toMatchObject({ status: 201 });
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${gateway.url}/?view=sales&dataset=no-cost&${RANGE}&tz=UTC`);
  const margin = page.locator('article[data-kpi="grossMargin"]');
  await margin.waitFor();
  expect(await margin.getAttribute('class')).toMatch(/unsupported/);
  expect(await margin.locator('.value').innerText()).toBe('—');
  expect(await margin.locator('.reason').getAttribute('data-reason')).toBe('MISSING_COLUMN');
  expect(await margin.locator('.reason').innerText()).toMatch(/cost/i);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - innerWidth');
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-sales-390.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
}, 120_000);

test('the turnout view: votes, MISSING_REGISTRY naming the constituency, flags, hour-of-day pattern', async () => {
  const registry = generateRegistry();
  const rows = generateTurnoutRows({
    seed: 15,
    rows: 400,
    from: new Date('2027-08-09T03:00:00Z'),
    hours: 12,
  });
  expect(await upload(gateway.url, 'ge-reg', registryCsv(registry), 'constituencies')).toMatchObject({
    status: 201,
  });
  expect(await upload(gateway.url, 'ge', turnoutCsv(rows), 'turnout')).toMatchObject({ status: 201 });
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(
    `${gateway.url}/?view=turnout&dataset=ge&election=${ELECTION}&registry=ge-reg&range=custom&from=2027-08-09&to=2027-08-09&tz=UTC&grain=HOUR`,
  );
  const votes = page.locator('article[data-kpi="votesCast"] .value');
  await votes.waitFor();
  expect(Number(await votes.getAttribute('data-value'))).toBe(rows.reduce((a, r) => a + r.votesCast, 0));
  // UNREGISTERED has rows but no registry line: participation is MISSING_REGISTRY, naming it.
  const participation = page.locator('article[data-kpi="participationRate"] .reason');
  expect(await participation.getAttribute('data-reason')).toBe('MISSING_REGISTRY');
  expect(await participation.innerText()).toContain(UNREGISTERED);
  expect(await page.locator('.registry-check').innerText()).toContain(OVER_REGISTERED);
  // The cumulative chart has no point to draw: it says why.
  expect(await page.locator('[aria-label="Participation"] .reason').innerText()).toMatch(/^MISSING_REGISTRY/);
  expect(await page.locator('.hours li').count()).toBeGreaterThan(5);
  expect(seen.operations.sort()).toEqual(['DashboardTurnoutView', 'DatasetList']);
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-turnout-1280.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
}, 120_000);

test('turnout pickers offer only turnout datasets and registries; region and constituency filters are deep links', async () => {
  const rows = generateTurnoutRows({
    seed: 15,
    rows: 400,
    from: new Date('2027-08-09T03:00:00Z'),
    hours: 12,
  });
  const votesIn = (ids: string[]) =>
    rows.filter((r) => ids.includes(r.constituencyId)).reduce((a, r) => a + r.votesCast, 0);
  const page = await context.newPage();
  const seen = watch(page);
  // A sales dataset in the link: the turnout view takes the first turnout dataset instead.
  await page.goto(
    `${gateway.url}/?view=turnout&dataset=march&election=${ELECTION}&registry=ge-reg&range=custom&from=2027-08-09&to=2027-08-09&tz=UTC&grain=HOUR&turnoutBy=REGION&region=North,South`,
  );
  const votes = page.locator('article[data-kpi="votesCast"] .value');
  await votes.waitFor();
  const options = (label: string) => page.getByLabel(label).locator('option').allInnerTexts();
  expect(await options('Turnout dataset')).toEqual(['ge']);
  expect(await options('Registry')).toEqual(['none', 'ge-reg']);
  expect(Number(await votes.getAttribute('data-value'))).toBe(votesIn(['C01', 'C02', 'C03', 'C04']));
  expect((await page.locator('table.breakdown tbody th').allInnerTexts()).sort()).toEqual(['North', 'South']);

  await page.getByRole('textbox', { name: 'Constituency' }).fill('C01, C03');
  await page.getByRole('textbox', { name: 'Constituency' }).press('Tab');
  await page.waitForURL(/constituency=C01%2CC03/);
  await page
    .locator(`article[data-kpi="votesCast"] .value[data-value="${votesIn(['C01', 'C03'])}"]`)
    .waitFor();
  expect(page.url()).toMatch(/region=North%2CSouth/);
  // The link reopens the same filtered view.
  const again = await context.newPage();
  await again.goto(page.url());
  await again.locator('article[data-kpi="votesCast"] .value[data-value]').waitFor();
  expect(Number(await again.locator('article[data-kpi="votesCast"] .value').getAttribute('data-value'))).toBe(
    votesIn(['C01', 'C03']),
  );
  expect(await again.getByRole('textbox', { name: 'Constituency' }).inputValue()).toBe('C01, C03');
  expect(seen.problems).toEqual([]);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, 'dashboard-turnout-filtered');
}, 120_000);

test('the JavaScript the page loads stays within its budget of 150 kB gzipped', () => {
  const assets = path.join(ROOT, 'dist/dashboard/assets');
  const scripts = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
  const gzipped = scripts.reduce((sum, f) => sum + gzipSync(fs.readFileSync(path.join(assets, f))).length, 0);
  expect(scripts.length).toBeGreaterThan(0);
  expect(gzipped).toBeLessThanOrEqual(150 * 1024);
});
