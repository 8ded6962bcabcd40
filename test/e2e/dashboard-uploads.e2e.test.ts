import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { graphql, startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { csvLine, generateSalesRows, toCsv } from '../support/sales-fixture';
import { launchChromium, screenshots, seriousViolations, watch } from './dashboard-browser';

/**
 * Uploads from the dashboard in a real browser: a file chosen with the keyboard goes straight to
 * the embedded object store with the presigned flow (CORS for the gateway's own origin only), its
 * LOADED arrives by subscription and its row errors come from the ledger; a store that refuses the
 * page's origin makes the page fall back to POST /uploads, with progress as well.
 */
const ROWS = generateSalesRows({ seed: 27, rows: 120, from: new Date('2025-04-01T00:00:00Z'), days: 5 });
const lines = toCsv(ROWS).split('\n');
// Line 3 of the file (its second row) says "twelve" units: one bad row, allowed by maxBadRows.
lines[2] = csvLine({ ...ROWS[1]!, unitsSold: 'twelve' as unknown as number });
const CSV_WITH_BAD_ROW = lines.join('\n');

let direct: GatewayProcess;
let refused: GatewayProcess;
let browser: Browser;
let file: string;

beforeAll(async () => {
  [direct, refused] = await Promise.all([
    startGatewayProcess(),
    // The store answers CORS for this origin only: the page's own is refused, as a bucket without a rule.
    startGatewayProcess({ PUBLIC_ORIGINS: 'https://dashboard.elsewhere.example' }),
  ]);
  browser = await launchChromium();
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-dash-up-')), 'april.csv');
  fs.writeFileSync(file, CSV_WITH_BAD_ROW);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([direct?.stop(), refused?.stop()]);
});

/** Every request the page sends outside GraphQL, as `METHOD origin+path`. */
function transfers(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname !== '/graphql' && ['PUT', 'POST'].includes(request.method()))
      seen.push(`${request.method()} ${url.origin}${url.pathname}`);
  });
  return seen;
}

/** Tab from the last field to the file input and open it with the keyboard: no mouse, no drag. */
async function chooseWithKeyboard(page: Page, dataset: string): Promise<void> {
  await page.getByLabel('Dataset', { exact: true }).fill(dataset);
  await page.getByLabel('Bad rows allowed').fill('1');
  await page.getByLabel('Bad rows allowed').focus();
  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement.id')).toBe('csv-file');
  const chooser = page.waitForEvent('filechooser', { timeout: 60_000 });
  await page.keyboard.press('Space');
  // On a loaded machine the first key has been seen to go unanswered; Enter opens it too.
  const opened = await Promise.race([chooser, new Promise((resolve) => setTimeout(resolve, 10_000, null))]);
  if (opened === null) await page.keyboard.press('Enter');
  await (await chooser).setFiles(file);
}

test('a file chosen with the keyboard goes straight to S3 with progress; LOADED by subscription; its row error', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const seen = watch(page);
  const sent = transfers(page);
  const response = await page.goto(`${direct.url}/?view=uploads`);
  const s3Origin = /connect-src 'self' (\S+);/.exec(
    response!.headers()['content-security-policy'] ?? '',
  )?.[1];
  expect(s3Origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await chooseWithKeyboard(page, 'april');

  await page.locator('.result [data-status="LOADED"]').waitFor({ timeout: 60_000 });
  expect(sent).toEqual([`PUT ${s3Origin}/kpi-uploads/${sent[0]?.split('/kpi-uploads/')[1] ?? ''}`]);
  expect(seen.operations).toEqual(
    expect.arrayContaining(['DashboardCreateUpload', 'DashboardStartUpload', 'DashboardUploadRowErrors']),
  );
  expect(await page.locator('.transfer').getAttribute('data-via')).toBe('presigned');
  expect(await page.locator('progress').getAttribute('value')).toBe('1');
  expect(await page.locator('.transfer [role=status]').innerText()).toMatch(/straight to object storage/);
  // LOADED as the subscription told it, with the new data version.
  await page.locator('[data-live-status="LOADED"]').waitFor({ timeout: 20_000 });
  expect(await page.locator('.live-status').innerText()).toMatch(
    /april LOADED · data version \d+ · 119 rows/,
  );
  expect(await page.locator('.result').innerText()).toMatch(/119 rows loaded · 1 row rejected/);
  const rowError = page.locator('.result .row-errors tbody tr').first();
  await rowError.waitFor();
  const cells = await rowError.locator('td').allInnerTexts();
  expect([cells[0], cells[1], cells[3]]).toEqual(['3', 'unitsSold', 'twelve']);
  expect(cells[2]!.length).toBeGreaterThan(0);
  // The ledger lists it, its row errors one click away.
  await page.locator('tr[data-upload-status="LOADED"]').first().waitFor();
  await page.getByRole('button', { name: 'Row errors (1)' }).click();
  await page.locator('.ledger .row-errors').waitFor();

  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, 'dashboard-upload-presigned');
  expect(seen.problems).toEqual([]);
}, 120_000);

test("the embedded store answers CORS for the gateway's own origins only; signatures are still checked", async () => {
  const slot = await graphql<{ createUpload: { url: string } }>(
    direct.url,
    'mutation { createUpload(dataset: "cors-check", kind: SALES) { url } }',
  );
  const url = slot.data!.createUpload.url;
  const preflight = (origin: string) =>
    fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
  for (const own of [direct.url, direct.url.replace('127.0.0.1', 'localhost')]) {
    const allowed = await preflight(own);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(own);
    expect(allowed.headers.get('access-control-allow-methods')).toMatch(/PUT/);
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type');
  }
  const foreign = await preflight('https://evil.example');
  expect(foreign.status).toBe(403);
  expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  expect((await preflight(refused.url)).status).toBe(403);

  // A signed PUT from the page's origin may be read back (ETag exposed); a tampered one is still 403.
  const put = await fetch(url, { method: 'PUT', headers: { origin: direct.url }, body: 'a,b\n' });
  expect(put.status).toBe(200);
  expect(put.headers.get('access-control-allow-origin')).toBe(direct.url);
  expect(put.headers.get('access-control-expose-headers')).toBe('ETag');
  const tampered = await fetch(url.replace('cors-check', 'cors-other'), {
    method: 'PUT',
    headers: { origin: direct.url },
    body: 'a,b\n',
  });
  expect(tampered.status).toBe(403);
  const other = await fetch(url, {
    method: 'PUT',
    headers: { origin: 'https://evil.example' },
    body: 'a,b\n',
  });
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
});

test('a file dropped on a page the store refuses (no CORS for its origin) goes through POST /uploads with progress', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const seen = watch(page);
  const sent = transfers(page);
  const failed: string[] = [];
  page.on('requestfailed', (request) => failed.push(request.method()));
  await page.goto(`${refused.url}/?view=uploads`);
  // Dropped this time, as a file dragged from the desktop arrives.
  await page.getByLabel('Dataset', { exact: true }).fill('april-fallback');
  await page.getByLabel('Bad rows allowed').fill('1');
  const dataTransfer = await page.evaluateHandle(
    `(() => { const d = new DataTransfer(); d.items.add(new File([${JSON.stringify(CSV_WITH_BAD_ROW)}], 'april.csv', { type: 'text/csv' })); return d; })()`,
  );
  await page.locator('.drop').dispatchEvent('dragover', { dataTransfer });
  await page.locator('.drop').dispatchEvent('drop', { dataTransfer });

  await page.locator('.result [data-status="LOADED"]').waitFor({ timeout: 60_000 });
  expect(failed).toContain('PUT');
  expect(sent.at(-1)).toBe(`POST ${refused.url}/uploads`);
  expect(await page.locator('.transfer').getAttribute('data-via')).toBe('gateway');
  expect(await page.locator('.transfer [role=status]').innerText()).toMatch(/through the gateway/);
  expect(await page.locator('progress').getAttribute('value')).toBe('1');
  expect(await page.locator('.result').innerText()).toMatch(/119 rows loaded · 1 row rejected/);
  await page.locator('[data-live-status="LOADED"]').waitFor({ timeout: 20_000 });
  await page.locator('.result .row-errors tbody tr').first().waitFor();
  // The browser reports the refused PUT itself on the console; nothing else went wrong.
  expect(seen.problems.filter((p) => !/CORS|Failed to load resource|ERR_FAILED/.test(p))).toEqual([]);
}, 120_000);
