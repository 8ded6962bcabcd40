import fs from 'node:fs';
import path from 'node:path';
import { docSteps, matchesShown, runSteps } from '../support/doc-commands';
import { ROOT, startGatewayProcess, type GatewayProcess } from '../support/gateway-process';

/**
 * The docs check: every command block of the README front door and of the pages meant to be
 * followed in order runs, in order, against the built gateway on a fresh data directory, and
 * prints what the page shows. The pages address http://127.0.0.1:4000; the test's gateway listens
 * on a free port, so that address is rewritten in each block.
 */
const PAGES = ['README.md', 'docs/uploading.md', 'docs/analysts.md', 'docs/clients.md'];
/** The block that installs, builds and starts the gateway: the test starts the built gateway itself. */
const START_BLOCK = 'npm install && npm start';

const running: GatewayProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((gateway) => gateway.stop()));
});

describe.each(PAGES)('%s', (page) => {
  test('every command block runs in order on a fresh data directory and prints what the page shows', async () => {
    const steps = docSteps(path.join(ROOT, page)).filter((step) => !step.commands.includes(START_BLOCK));
    expect(steps.length).toBeGreaterThan(0);
    const gateway = await startGatewayProcess();
    running.push(gateway);
    const outputs = runSteps(steps, {
      cwd: ROOT,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      rewrite: (commands) => commands.replaceAll('http://127.0.0.1:4000', gateway.url),
    });
    const mismatches = steps.flatMap((step, i) =>
      step.expected === undefined || matchesShown(outputs[i] ?? '', step.expected)
        ? []
        : [
            `${page}:${step.line}\n$ ${step.commands}\n--- shown\n${step.expected}\n--- printed\n${outputs[i]}`,
          ],
    );
    expect(mismatches).toEqual([]);
    await gateway.stop();
  }, 300_000);
});

describe('README.md, the front door', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  test('is at most 8 KB and starts the gateway the way `npm start` does (the built dist/src/index.js)', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(8 * 1024);
    expect(readme).toContain(START_BLOCK);
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.start).toBe('npm run build && node dist/src/index.js');
  });

  test('the gateway starts without warnings on the first screen (no AWS SDK Node 22 notice)', async () => {
    // Node's own warnings switched back on: the test helper silences them by default.
    const gateway = await startGatewayProcess({ NODE_NO_WARNINGS: '' });
    running.push(gateway);
    await gateway.stop();
    expect(gateway.logs.filter((line) => /warning/i.test(line))).toEqual([]);
  }, 120_000);

  test('its client section is the code of examples/clients/, line by line', () => {
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const examples = ['apollo-client.ts', 'urql-client.ts']
      .map((file) => fs.readFileSync(path.join(ROOT, 'examples/clients', file), 'utf8').replace(/\s+/g, ' '))
      .join('\n');
    const lines = block
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('//') && line !== '});');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.filter((line) => !examples.includes(line.replace(/\s+/g, ' ')))).toEqual([]);
  });

  test('every page it links to exists, but for the pages other engineers are writing', () => {
    const links = [...readme.matchAll(/\]\(([^)#]+?)(?:#[^)]*)?\)/g)].map((m) => m[1] ?? '');
    const local = links.filter((link) => !/^[a-z]+:/.test(link));
    expect(local.length).toBeGreaterThan(5);
    const missing = local.filter((link) => !fs.existsSync(path.join(ROOT, link)));
    expect(missing.filter((link) => !PENDING_PAGES.includes(link))).toEqual([]);
  });
});

/** Linked from the README before they land (written on other branches). */
const PENDING_PAGES = [
  'docs/architecture.md',
  'docs/security.md',
  'docs/operations.md',
  'docs/limits.md',
  'docs/adding-a-dataset-kind.md',
];

describe('docs/clients.md', () => {
  test('shows the client setups exactly as examples/clients/ has them (the code the e2e client tests run)', () => {
    const clients = fs.readFileSync(path.join(ROOT, 'docs/clients.md'), 'utf8');
    for (const file of ['examples/clients/apollo-client.ts', 'examples/clients/urql-client.ts']) {
      const code = fs.readFileSync(path.join(ROOT, file), 'utf8').trim();
      expect(clients).toContain(`\`\`\`ts\n// ${file}\n${code}\n\`\`\``);
    }
  });
});
