import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startEmbeddedS3, type EmbeddedS3Server } from '../../src/storage/embedded-s3-server';
import { testKey, uploadAs } from '../support/auth-fixture';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { fromClickHouse, S3Gate } from '../support/s3-gate';
import { generateSalesRows, toCsv } from '../support/sales-fixture';
import { launchChromium, screenshots, seriousViolations, useApiKey, watch } from './dashboard-browser';

/**
 * The ledger view with API keys: a reader sees no upload or retry controls; an uploader pages the
 * ledger, filters it by status and is told why its retry was refused; an admin retries a FAILED
 * upload (its load stalled on an object store this test holds) and it loads.
 */
const BUCKET = 'kpi-ledger';
const keys = {
  reader: testKey('reader', ['reader']),
  uploader: testKey('uploader', ['reader', 'uploader']),
  admin: testKey('admin', ['admin']),
};
const csv = toCsv(
  generateSalesRows({ seed: 31, rows: 150, from: new Date('2025-05-01T00:00:00Z'), days: 3 }),
);
const gate = new S3Gate();
let s3Dir: string;
let s3: EmbeddedS3Server;
let gateway: GatewayProcess;
let browser: Browser;
let failedId: string;
let pageOrigins: string[] = [];

beforeAll(async () => {
  s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-dash-ledger-s3-'));
  const credentials = {
    accessKeyId: `E2E${randomBytes(6).toString('hex')}`,
    secretAccessKey: randomBytes(24).toString('hex'),
  };
  // An external store (as MinIO would be) with a CORS rule for the gateway's origin.
  s3 = await startEmbeddedS3({
    directory: s3Dir,
    port: 0,
    bucket: BUCKET,
    credentials,
    gate: gate.gate,
    corsOrigins: () => pageOrigins,
  });
  gateway = await startGatewayProcess({
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: BUCKET,
    S3_ACCESS_KEY_ID: credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    LOAD_S3_TIMEOUT_MS: '1000',
    API_KEYS: Object.values(keys)
      .map((k) => k.line)
      .join(';'),
  });
  pageOrigins = [gateway.url];
  // One FAILED upload: ClickHouse's reads of its file stall past LOAD_S3_TIMEOUT_MS.
  gate.close((request) => fromClickHouse(request) && request.key.startsWith('uploads/stalled/'));
  const failed = await uploadAs(gateway.url, keys.admin.key, 'stalled', csv);
  gate.open();
  expect(failed.body).toMatchObject({ status: 'FAILED' });
  failedId = failed.body.id;
  // Eleven more: one LOADED, ten DUPLICATE of it; twelve uploads in the ledger, two pages of ten.
  for (let i = 0; i < 11; i += 1) await uploadAs(gateway.url, keys.admin.key, 'many', csv);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  gate.open();
  await browser?.close();
  await gateway?.stop();
  await s3?.close();
  fs.rmSync(s3Dir, { recursive: true, force: true });
});

async function ledgerAs(key: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${gateway.url}/?view=uploads`);
  await useApiKey(page, key);
  return page;
}

const rows = (page: Page) => page.locator('tr[data-upload]');

/** Waits until the ledger shows `count` uploads (a new page replaces the old one when it arrives). */
async function showing(page: Page, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await rows(page).count()) !== count) {
    if (Date.now() > deadline)
      throw new Error(`the ledger shows ${await rows(page).count()} uploads, not ${count}`);
    await page.waitForTimeout(50);
  }
}

test('a reader key sees no upload or retry controls, and why', async () => {
  const page = await ledgerAs(keys.reader.key);
  const notice = page.locator('.notice');
  await notice.waitFor();
  expect(await notice.innerText()).toMatch(/may read KPIs but not upload.*uploader role/s);
  expect(await page.locator('input[type=file]').count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, 'dashboard-uploads-reader');
}, 60_000);

test('an uploader pages the ledger, filters it by status, and sees the API refuse its retry', async () => {
  const page = await ledgerAs(keys.uploader.key);
  const seen = watch(page);
  await showing(page, 10);
  expect(await page.locator('input[type=file]').count()).toBe(1);
  await page.getByRole('button', { name: 'Older' }).click();
  await showing(page, 2);
  expect(await page.getByText('Page 2').count()).toBe(1);
  expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Newer' }).click();
  await showing(page, 10);

  await page.getByLabel('Status').selectOption('FAILED');
  await showing(page, 1);
  await page.locator(`tr[data-upload="${failedId}"]`).waitFor();
  await page.getByRole('button', { name: 'Retry' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Retry refused' });
  await refusal.waitFor();
  expect(await refusal.innerText()).toMatch(/retryUpload needs the admin role/);
  expect(seen.operations.filter((op) => op === 'DashboardRetryUpload')).toHaveLength(1);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, 'dashboard-ledger-refused');
}, 60_000);

test('an admin retries the FAILED upload from the ledger and it loads', async () => {
  const page = await ledgerAs(keys.admin.key);
  await page.getByLabel('Status').selectOption('FAILED');
  const failed = page.locator(`tr[data-upload="${failedId}"]`);
  await failed.waitFor();
  await failed.getByRole('button', { name: 'Retry' }).click();
  await page.getByText('No uploads with status FAILED yet.').waitFor({ timeout: 60_000 });
  await page.getByLabel('Status').selectOption('LOADED');
  const loaded = page.locator(`tr[data-upload="${failedId}"][data-upload-status="LOADED"]`);
  await loaded.waitFor();
  expect(await loaded.locator('td').nth(2).innerText()).toBe('150');
}, 60_000);
