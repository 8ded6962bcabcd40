import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CheckLine } from './lib/stats';
import { WORK_DIR } from './lib/paths';

/**
 * `npm run bench`: every scenario in its own process, one after another (chDB allows one data
 * path per process, and each scenario then starts with a clean heap), then one summary table of
 * every measured line against its target, also written to bench/.work/results/summary.md.
 */
const SCENARIOS = [
  'ingest',
  'rollup-vs-raw',
  'rollups-http',
  'overhead',
  'cached',
  'batching',
  'concurrency',
  'peers',
  'cold-start',
];

const started = Date.now();
const crashed: string[] = [];
for (const scenario of SCENARIOS) {
  const result = spawnSync(process.execPath, [path.join(__dirname, `${scenario}.js`)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) crashed.push(scenario);
}
const minutes = (Date.now() - started) / 60_000;

const rows: string[] = [
  '| scenario | metric | measured | baseline | ratio | target | result |',
  '|---|---|---|---|---|---|---|',
];
for (const scenario of SCENARIOS) {
  const file = path.join(WORK_DIR, 'results', `${scenario}.json`);
  if (crashed.includes(scenario) || !fs.existsSync(file)) {
    rows.push(`| ${scenario} | — | crashed | | | | MISS |`);
    continue;
  }
  const { lines } = JSON.parse(fs.readFileSync(file, 'utf8')) as { lines: CheckLine[] };
  for (const l of lines)
    rows.push(
      `| ${scenario} | ${l.metric} | ${l.value} | ${l.baseline} | ${l.ratio} | ${l.target} | ${l.pass === null ? 'info' : l.pass ? 'PASS' : 'MISS'} |`,
    );
}
const header = [
  `Run finished ${new Date().toISOString()} on ${os.cpus().length} CPUs, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, node ${process.version}.`,
  `Total time of \`npm run bench\` (after the build): ${minutes.toFixed(1)} min.`,
  crashed.length > 0 ? `Crashed: ${crashed.join(', ')}.` : 'Every scenario ran to the end.',
];
const summary = [...header, '', ...rows].join('\n');
fs.mkdirSync(path.join(WORK_DIR, 'results'), { recursive: true });
fs.writeFileSync(path.join(WORK_DIR, 'results', 'summary.md'), `${summary}\n`);
console.log(`\n${summary}`);
process.exit(crashed.length > 0 ? 1 : 0);
