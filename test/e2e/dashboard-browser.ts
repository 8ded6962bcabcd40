import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../support/gateway-process';

/** What the dashboard's browser tests share: Debian's chromium, axe-core, screenshots. */
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no chromium on the PATH: apt-get install -y chromium');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
}

/** Counts this page's GraphQL operations over HTTP and its problems (console errors, CSP). */
export function watch(page: Page): { operations: string[]; problems: string[] } {
  const operations: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql') && request.method() === 'POST')
      operations.push(/"operationName":"(\w+)"/.exec(request.postData() ?? '')?.[1] ?? '?');
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { operations, problems };
}

/** axe-core, evaluated over the DevTools protocol (the page's CSP would refuse an inline script). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  // A string runs in the page (this file is compiled without the DOM's types).
  const result = await page.evaluate('axe.run(document)');
  return (
    (result as { violations: unknown[] }).violations as Array<{
      id: string;
      impact: string;
      nodes: unknown[];
    }>
  )
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
}

/** Full-page screenshots at 1280×800 and at 390 px wide, in test-artifacts/. */
export async function screenshots(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-390.png`), fullPage: true });
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - innerWidth');
  if (overflow > 0) {
    const wide = await page.evaluate<string[]>(
      "[...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > innerWidth).slice(0, 5).map((e) => e.tagName + '.' + e.className)",
    );
    throw new Error(`${name}: ${overflow} px of horizontal overflow at 390 px: ${wide.join(', ')}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** Logs in the way a person does: the API key field, then the page reloads with it. */
export async function useApiKey(page: Page, key: string): Promise<void> {
  await page.getByLabel('API key').fill(key);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Use' }).click()]);
}

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
