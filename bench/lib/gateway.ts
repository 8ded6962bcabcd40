import 'reflect-metadata';
import fs from 'node:fs';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/config/logger';
import { startGateway, type Gateway } from '../../src/server/gateway';
import { startGatewayProcess, type GatewayProcess } from '../../test/support/gateway-process';

/**
 * The two ways a scenario runs the gateway. A child process (`spawnGateway`) is what users run
 * and what RSS, cold start and load tests must see. In process (`startInProcessGateway`) the
 * benchmark can also reach the same warehouse (same sessions) to run the bare SQL and count
 * queries. chDB allows one data path per process, so a scenario uses one or the other per path.
 */
export interface SpawnedGateway extends GatewayProcess {
  readonly graphqlUrl: string;
  /** SIGTERM, then SIGKILL if the process has not exited after STOP_GRACE_MS (benchmarks must end). */
  stop(): Promise<number | null>;
}

const STOP_GRACE_MS = 15_000;
/**
 * The gateway runs as deployed (the Dockerfile and compose set NODE_ENV=production): graphql-js
 * picks its development-only checks at load time from NODE_ENV (`instanceOf` alone was ~5 % of a
 * KPI request's CPU), and errors are masked. The scenarios themselves are started with
 * NODE_ENV=production too (package.json, run-all), so an in-process gateway gets the same.
 */
const NODE_ENV = 'production';
/**
 * Scenarios are one caller measuring speed, not abuse: per-caller rates and the cost budget would
 * refuse their loops. Queues and per-operation limits stay as deployed; the overload scenario
 * sets the deployed rates back (it measures them).
 */
export const ONE_CALLER_ENV: Record<string, string> = {
  RATE_LIMIT_QUERIES_PER_SECOND: '1000000',
  RATE_LIMIT_QUERIES_BURST: '1000000',
  RATE_LIMIT_UPLOADS_PER_MINUTE: '1000000',
  RATE_LIMIT_UPLOADS_BURST: '1000000',
  COST_BUDGET_UNITS: '1000000000',
};

export async function spawnGateway(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<SpawnedGateway> {
  fs.mkdirSync(dataDir, { recursive: true });
  const gateway = await startGatewayProcess({ NODE_ENV, ...ONE_CALLER_ENV, ...env }, dataDir);
  const stopGracefully = gateway.stop.bind(gateway);
  const stop = async (): Promise<number | null> => {
    const exited = stopGracefully('SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, STOP_GRACE_MS, 'timeout').unref());
    if ((await Promise.race([exited, timer])) !== 'timeout') return exited;
    // A gateway that hangs on SIGTERM is a finding: say so loudly in the scenario's output.
    console.warn(
      `  ! gateway pid ${gateway.child.pid} still running ${STOP_GRACE_MS / 1000} s after SIGTERM; sending SIGKILL`,
    );
    return stopGracefully('SIGKILL');
  };
  return Object.assign(gateway, { graphqlUrl: `${gateway.url}/graphql`, stop });
}

export async function startInProcessGateway(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<Gateway> {
  const config = loadConfig({
    NODE_ENV,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...ONE_CALLER_ENV,
    ...env,
  });
  return startGateway(config, createLogger(config.logLevel));
}

/** Resident set size of a process, from /proc (Linux). */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`No VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}
