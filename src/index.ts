import './config/threadpool';
import './config/aws-sdk-notice';
import 'reflect-metadata';
import { loadConfig } from './config/config';
import { createLogger } from './config/logger';
import { startGateway } from './server/gateway';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const gateway = await startGateway(config, logger);
  let stopping = false;
  const stop = (signal: string) => {
    // A second signal while stopping means "now".
    if (stopping) process.exit(1);
    stopping = true;
    logger.info('stopping', { signal, timeoutMs: config.lifecycle.shutdownTimeoutMs });
    setTimeout(exitNow, config.lifecycle.shutdownTimeoutMs + 1000).unref();
    gateway.close().then((closed) => {
      logger.info('stopped', { signal, closed });
      if (closed) process.exit(0);
      exitNow();
    }, exitNow);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * A shutdown that had to cut work off ends the process at once. chDB cannot cancel a running
 * statement, and a normal exit waits for it in native code (measured: a load blocked on S3 kept
 * the process alive for a minute); what the statement wrote is removed at the next start, as after
 * a crash.
 */
function exitNow(): never {
  process.kill(process.pid, 'SIGKILL');
  process.exit(1);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `kpi-gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
