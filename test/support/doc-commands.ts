import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * The command blocks of a Markdown page, in order, each with the output the page shows for it:
 * a ```sh block is a command; a ```json or ```text block right after it is what it prints.
 */
export interface DocStep {
  readonly line: number;
  readonly commands: string;
  readonly expected: string | undefined;
}

const FENCE = /^```(\w*)\s*$/;

export function docSteps(file: string): DocStep[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const blocks: Array<{ line: number; lang: string; text: string }> = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i += 1) body.push(lines[i] ?? '');
    blocks.push({ line: start + 1, lang: open[1] ?? '', text: body.join('\n') });
  }
  const steps: DocStep[] = [];
  blocks.forEach((block, index) => {
    if (block.lang !== 'sh') return;
    const next = blocks[index + 1];
    const shown = next && (next.lang === 'json' || next.lang === 'text') ? next.text : undefined;
    steps.push({ line: block.line, commands: block.text, expected: shown });
  });
  return steps;
}

/**
 * Runs every step in one bash process, in order, so variables set by one block are there for the
 * next, as in a reader's terminal. `rewrite` adapts a block to the test's gateway (its port).
 * Returns what each step printed on stdout.
 */
export function runSteps(
  steps: readonly DocStep[],
  options: { cwd: string; env: NodeJS.ProcessEnv; rewrite: (commands: string) => string },
): string[] {
  const marker = `@@step-${process.pid}-${Date.now()}@@`;
  const script = steps.map((step) => `${options.rewrite(step.commands)}\necho; echo '${marker}'`).join('\n');
  const run = spawnSync('bash', ['-c', script], {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  const outputs = run.stdout.split(`${marker}\n`);
  if (outputs.length < steps.length)
    throw new Error(
      `the commands stopped after ${outputs.length - 1} step(s):\n${run.stdout}\n${run.stderr}`,
    );
  return outputs.slice(0, steps.length).map((output) => output.trim());
}

/**
 * Whether a command printed what the page shows: whitespace is ignored (pages wrap long JSON),
 * and `…` stands for anything the page leaves out (ids, timings, fields it does not discuss).
 */
export function matchesShown(actual: string, shown: string): boolean {
  const squeeze = (text: string) => text.replace(/\s+/g, '');
  const pattern = squeeze(shown)
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`).test(squeeze(actual));
}
