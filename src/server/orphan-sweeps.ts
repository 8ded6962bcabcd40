import type { Logger } from '../config/logger';
import { sweepOrphans } from '../ingest/orphan-sweeper';
import type { ReplicaLocks } from '../ingest/replica-locks';
import type { UploadLedger } from '../ingest/upload-ledger';
import type { S3ObjectStore } from '../storage/s3-object-store';

const SWEEP_EVERY_MS = 3600_000;

/**
 * At start (in the background) and then hourly: see sweepOrphans. With several replicas, the one
 * that claims the hour sweeps; the others skip it.
 */
export function startOrphanSweeps(
  store: S3ObjectStore,
  ledger: UploadLedger,
  { graceSeconds, locks }: { graceSeconds: number; locks: ReplicaLocks },
  logger: Logger,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = running
      .then(async () => {
        if (await locks.claim('orphan-sweep', SWEEP_EVERY_MS - 60_000))
          await sweepOrphans(store, await ledger.all(), { graceSeconds, logger });
      })
      .catch((error: unknown) => logger.warn('orphan sweep failed', { error: error as Error }));
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS).unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
