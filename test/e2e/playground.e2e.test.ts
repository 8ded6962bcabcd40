import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT, startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';

/**
 * The offline playground in a real browser (a system chromium, driven by playwright-core). The
 * network is closed twice over: DNS resolves nothing but loopback, and every request that is not
 * to the gateway is aborted and recorded; the test asserts none was needed.
 */
/** Any chromium on the PATH, as the test set-up (scripts/test-prerequisites.sh) accepts; Debian's by default. */
const CHROMIUM = findChromium();
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

let gateway: GatewayProcess;
let browser: Browser;
const outside: string[] = [];

beforeAll(async () => {
  if (!CHROMIUM)
    throw new Error('no chromium on the PATH: apt-get install -y chromium (npm test does on Debian as root)');
  gateway = await startGatewayProcess();
  expect(
    await upload(gateway.url, 'acme-sales', fs.readFileSync(path.join(ROOT, 'examples/sales.csv'))),
  ).toMatchObject({ status: 201 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
});

async function openPage(url: string): Promise<{ page: Page; problems: string[]; workers: string[] }> {
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    const target = new URL(route.request().url());
    if (target.protocol === 'data:' || LOOPBACK.has(target.hostname)) return route.continue();
    outside.push(target.href);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  page.on('console', (message) => {
    // Monaco logs this when a worker cannot start and it falls back to the main thread.
    if (message.type() === 'error' || /web worker|Content Security Policy/i.test(message.text()))
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  await page.goto(url);
  await page.locator('.graphiql-execute-button').waitFor({ timeout: 60_000 });
  return { page, problems, workers };
}

describe('the offline playground', () => {
  test('a browser opening /graphql gets GraphiQL with the example operations; a KPI query with an auth header runs and shows the result', async () => {
    const { page, problems, workers } = await openPage(`${gateway.url}/graphql`);

    const tabs = (await page.locator('.graphiql-tab').allInnerTexts()).map((t) => t.trim());
    expect(tabs).toEqual([
      'SalesKpiCards',
      'SalesMonthlyChart',
      'SalesTopNTable',
      'DatasetList',
      'UploadLedgerPage',
      'TurnoutKpiCards',
      'TurnoutHourlyChart',
      'TurnoutBreakdownTable',
      'DashboardSalesView',
      'DashboardTurnoutView',
      'DashboardUploadLedger',
      'DashboardUploadRowErrors',
    ]);
    await page.locator('.graphiql-tab', { hasText: 'SalesKpiCards' }).click();

    // The auth header, typed into GraphiQL's headers editor (insertText: no auto-closed brackets).
    await page.getByText('Headers', { exact: true }).click();
    await page.locator('.graphiql-editor-tool .monaco-editor').last().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{ "authorization": "Bearer playground-e2e" }');

    const sent = page.waitForRequest(
      (request) => request.method() === 'POST' && (request.postData() ?? '').includes('SalesKpiCards'),
    );
    await page.locator('.graphiql-execute-button').click();
    const request = await sent;
    expect(request.headers().authorization).toBe('Bearer playground-e2e');
    expect(JSON.parse(request.postData()!).variables).toEqual({
      dataset: 'acme-sales',
      from: '2025-01-01T00:00:00Z',
      to: '2025-03-01T00:00:00Z',
    });

    const result = page.locator('.graphiql-response');
    await result.getByText('12381.45').waitFor({ timeout: 30_000 });
    // Monaco renders spaces as non-breaking ones; compare the text with plain spacing.
    const shown = (await result.innerText()).replace(/\s+/g, ' ');
    expect(shown).toContain('"netSales": { "value": 12381.45, "unavailable": null }');
    expect(shown).not.toContain('"errors"');

    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
    // Monaco's language services ran in the bundled workers, served by the gateway.
    expect(workers.some((url) => url.startsWith(`${gateway.url}/playground/assets/graphql.worker-`))).toBe(
      true,
    );
    await page.context().close();
  });

  test('/playground serves the same page under a same-origin-only CSP', async () => {
    const response = await fetch(`${gateway.url}/playground`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//);
    const { page, problems } = await openPage(`${gateway.url}/playground`);
    expect(await page.locator('.graphiql-tab').count()).toBe(12);
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
    await page.context().close();
  });

  test('/graphql without text/html, or with an operation, is still GraphQL', async () => {
    const json = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'text/html,application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await json.json()).toEqual({ data: { __typename: 'Query' } });
    const post = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(post.headers.get('content-type')).not.toContain('text/html');
  });
});

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      /* not on the PATH */
    }
  }
  return fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}
