import '../../src/config/aws-sdk-notice';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WORK_DIR } from './paths';

/**
 * Timing, statistics and reporting shared by every scenario. These machines are shared and
 * noisy, so a scenario measures its baseline and its candidate in the same run, interleaved, and
 * reports medians and ratios rather than bare times.
 */
export async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  const value = sorted[rank];
  if (value === undefined) throw new Error(`percentile: rank ${rank} outside ${sorted.length} values`);
  return value;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/**
 * Runs every variant once per round, in a rotating order so that no variant always runs first
 * (right after a slow neighbour) or last; the first `warmup` rounds are discarded.
 */
export async function interleave<K extends string>(
  rounds: number,
  variants: Record<K, () => Promise<unknown>>,
  warmup = 1,
): Promise<Record<K, number[]>> {
  const names = Object.keys(variants) as K[];
  const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as unknown as Record<K, number[]>;
  for (let round = 0; round < rounds + warmup; round += 1) {
    const first = round % names.length;
    for (const name of [...names.slice(first), ...names.slice(0, first)]) {
      const ms = await timeMs(variants[name]);
      if (round >= warmup) times[name].push(ms);
    }
  }
  return times;
}

/**
 * `interleave` where each variant answers twice in its slot: the first answer comes right after
 * another variant's run (on these 2 cores, a multi-second scan by another engine leaves this one's
 * caches cold), the repeat is what a client asking again sees. Both are kept.
 */
export async function interleaveRepeated<K extends string>(
  rounds: number,
  variants: Record<K, () => Promise<unknown>>,
): Promise<{ first: Record<K, number[]>; repeat: Record<K, number[]> }> {
  const names = Object.keys(variants) as K[];
  const first = Object.fromEntries(names.map((n) => [n, [] as number[]])) as unknown as Record<K, number[]>;
  const repeat = Object.fromEntries(names.map((n) => [n, [] as number[]])) as unknown as Record<K, number[]>;
  const twice = (name: K) => async () => {
    first[name].push(await timeMs(variants[name]));
    repeat[name].push(await timeMs(variants[name]));
  };
  await interleave(
    rounds,
    Object.fromEntries(names.map((n) => [n, twice(n)])) as Record<K, () => Promise<unknown>>,
    0,
  );
  return { first, repeat };
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(2)}×` : String(ratio);
}

export function fmtCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export interface CheckLine {
  readonly metric: string;
  /** The candidate's measured number, formatted. */
  readonly value: string;
  /** The baseline it is compared with, formatted ('' when the target is absolute). */
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  /** null for informational lines that carry no target. */
  readonly pass: boolean | null;
}

/** One scenario's results: printed as they come, saved as JSON for `run-all`'s summary. */
export class Report {
  readonly lines: CheckLine[] = [];
  readonly notes: string[] = [];
  private readonly started = Date.now();

  constructor(readonly scenario: string) {
    console.log(`\n=== ${scenario} ===`);
  }

  check(line: CheckLine): void {
    this.lines.push(line);
    const verdict = line.pass === null ? 'info' : line.pass ? 'PASS' : 'MISS';
    const vs = line.baseline ? ` vs ${line.baseline}` : '';
    console.log(
      `  [${verdict}] ${line.metric}: ${line.value}${vs}${line.ratio ? ` (${line.ratio})` : ''} — target ${line.target}`,
    );
  }

  info(metric: string, value: string, baseline = '', ratio = ''): void {
    this.check({ metric, value, baseline, ratio, target: '—', pass: null });
  }

  note(text: string): void {
    this.notes.push(text);
    console.log(`  · ${text}`);
  }

  save(): void {
    const dir = path.join(WORK_DIR, 'results');
    fs.mkdirSync(dir, { recursive: true });
    const body = {
      scenario: this.scenario,
      finishedAt: new Date().toISOString(),
      seconds: (Date.now() - this.started) / 1000,
      lines: this.lines,
      notes: this.notes,
    };
    fs.writeFileSync(path.join(dir, `${this.scenario}.json`), JSON.stringify(body, null, 2));
    const misses = this.lines.filter((l) => l.pass === false).length;
    console.log(
      `  → ${this.scenario}: ${this.lines.filter((l) => l.pass).length} PASS, ${misses} MISS, ${body.seconds.toFixed(0)} s`,
    );
  }
}

/** A scenario's entry point: runs it, saves the report, and exits non-zero only when it crashed. */
export function runScenario(scenario: string, body: (report: Report) => Promise<void>): void {
  if (process.env.NODE_ENV !== 'production') {
    console.warn(
      `  ! NODE_ENV is ${process.env.NODE_ENV ?? 'unset'}, not production: graphql-js runs its development checks in this process (use the npm scripts)`,
    );
  }
  const report = new Report(scenario);
  body(report).then(
    () => {
      report.save();
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`\n${scenario} failed:`, error);
      process.exit(1);
    },
  );
}
