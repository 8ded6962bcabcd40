import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authenticator } from '../auth/authenticator';
import { createKpiCache } from '../cache/create-cache';
import type { Config } from '../config/config';
import type { Logger } from '../config/logger';
import { MemoryDataVersions, RedisDataVersions } from '../datasets/data-versions';
import { DatasetDirectory } from '../datasets/dataset-directory';
import type { Services } from '../graphql/context';
import { IngestService } from '../ingest/ingest-service';
import { ProcessLocks, RedisLocks, type ReplicaLocks } from '../ingest/replica-locks';
import { UploadLedger } from '../ingest/upload-ledger';
import { KpiService } from '../kpi/kpi-service';
import { loadOrCreateEmbeddedCredentials } from '../storage/embedded-credentials';
import { startEmbeddedS3 } from '../storage/embedded-s3-server';
import type { S3Credentials } from '../storage/sigv4-verifier';
import { S3ObjectStore } from '../storage/s3-object-store';
import { startTracing } from '../telemetry/tracing-sdk';
import { createWarehouse } from '../warehouse/create-warehouse';
import { migrate } from '../warehouse/migrations';
import type { Warehouse } from '../warehouse/warehouse';
import { AuthAttempts } from './auth-failure-limit';
import { createGraphQLHandler } from './graphql-handler';
import { drainOnStop, stopWithin } from './graceful-shutdown';
import { createHealthRoutes, readinessChecks } from './health-route';
import { createRoutes } from './http-routes';
import { RateLimits } from './load-shedding';
import { GatewayMetrics } from './gateway-metrics';
import { MeteredResponseCache } from './metered-response-cache';
import { createMetricsRoute } from './metrics-route';
import { startOrphanSweeps } from './orphan-sweeps';
import { createPersistedOperations, readManifest } from './persisted-operations';
import { createPlaygroundRoute } from './playground-route';
import { ownOrigins } from './public-origins';
import { attachSubscriptions } from './subscription-server';

export interface Gateway {
  readonly url: string;
  readonly graphqlUrl: string;
  readonly s3Endpoint: string;
  readonly services: Services;
  readonly warehouse: Warehouse;
  /** Graceful stop within the configured bound; true when every part closed in time. */
  close(): Promise<boolean>;
}

/** The composition root: starts every part in order and stops them in reverse. */
export async function startGateway(config: Config, logger: Logger): Promise<Gateway> {
  const stops: Array<() => Promise<void> | void> = [];
  try {
    // First to start, last to stop (the shutdown's own spans are sent); off, nothing of it loads.
    if (config.tracing.enabled) stops.push((await startTracing(config.tracing, logger)).shutdown);
    const auth = new AuthAttempts(await Authenticator.create(config.auth, logger), config.auth.failures);
    const credentials = s3Credentials(config);
    let pageOrigins: readonly string[] = [];
    const embeddedS3 =
      config.s3.mode === 'embedded'
        ? await startEmbeddedS3({
            directory: config.s3.embeddedDirectory,
            port: config.s3.embeddedPort,
            bucket: config.s3.bucket,
            credentials,
            corsOrigins: () => pageOrigins,
          })
        : null;
    if (embeddedS3) stops.push(() => embeddedS3.close());
    const s3Endpoint = embeddedS3?.endpoint ?? config.s3.endpoint!;
    const store = new S3ObjectStore({
      ...config.s3,
      ...credentials,
      endpoint: s3Endpoint,
      endpointForClickHouse: embeddedS3 ? s3Endpoint : config.s3.endpointForClickHouse!,
    });
    stops.push(() => store.close());
    await store.ensureBucket();

    const warehouse = await createWarehouse(config.clickhouse, config.limits);
    // Closing chDB waits for its running statements and blocks the event loop meanwhile: after a
    // shutdown had to cut requests off, a load may still run, so the process exits without it
    // (as after a crash, the next start removes what the load wrote and loads it again).
    let interrupted = false;
    stops.push(() => (interrupted ? undefined : warehouse.close()));
    if (config.migrateOnStart) {
      const cluster = config.clickhouse.mode === 'server' ? config.clickhouse.cluster : undefined;
      const applied = await migrate(warehouse, undefined, cluster);
      if (applied.length > 0)
        logger.info('migrations applied', { versions: applied.map((m) => `${m.version}_${m.name}`) });
    }

    // The admission gate's figures are read at scrape time, once the GraphQL handler exists.
    let load = () => ({ running: 0, waiting: 0, refused: 0 });
    const gatewayMetrics = new GatewayMetrics(warehouse, () => load());
    const ledger = new UploadLedger(warehouse);
    const versions = config.cache.redisUrl
      ? new RedisDataVersions(config.cache.redisUrl)
      : new MemoryDataVersions();
    const directory = await DatasetDirectory.fromUploads(await ledger.all(), {
      versions,
      loadUploads: (dataset) => ledger.forDataset(dataset),
    });
    stops.push(() => directory.close());
    // With Redis, loads, recovery and the hourly sweep are coordinated across every replica.
    const locks: ReplicaLocks = config.cache.redisUrl
      ? new RedisLocks(config.cache.redisUrl, {
          onLost: (key) =>
            logger.error('a replica lock expired while held; another replica may now hold it', { key }),
        })
      : new ProcessLocks();
    stops.push(() => locks.close());
    const cache = createKpiCache(config.cache, logger, config.limits.memory.kpiCacheMaxBytes);
    stops.push(() => cache.close());
    const ingest = new IngestService({
      warehouse,
      store,
      ledger,
      directory,
      logger,
      maxBytes: config.uploadMaxBytes,
      csvLimits: config.csv,
      loadLimits: config.load,
      onUploadStored: gatewayMetrics.uploadStored,
      locks,
      ...(config.clickhouse.mode === 'server' && config.clickhouse.cluster
        ? { cluster: config.clickhouse.cluster }
        : {}),
    });
    await ingest.recoverInterrupted();
    stops.push(() => ingest.idle());
    const sweeper = startOrphanSweeps(
      store,
      ledger,
      { graceSeconds: config.lifecycle.orphanGraceSeconds, locks },
      logger,
    );
    stops.push(() => sweeper.stop());
    const services: Services = {
      directory,
      ledger,
      ingest,
      kpi: new KpiService(warehouse, directory, cache, { observe: gatewayMetrics.kpiRun }),
    };

    const production = config.env === 'production';
    // Without the manifest (a checkout before codegen ran) only ad-hoc APQ works; allow-list mode requires it (config checks).
    const registered = fs.existsSync(config.operations.manifest)
      ? readManifest(config.operations.manifest)
      : new Map<string, string>();
    const rateLimits = new RateLimits(config.limits.load);
    const persisted = createPersistedOperations(registered, config.operations.allowListOnly);
    const graphql = await createGraphQLHandler(services, logger, production, {
      persisted,
      httpCacheMaxAgeSeconds: config.operations.httpCacheMaxAgeSeconds,
      responses: new MeteredResponseCache(
        config.cache.ttlSeconds * 1000,
        config.cache.responseMaxBytes,
        (hit) => gatewayMetrics.responseLookup(hit),
      ),
      plugins: [gatewayMetrics.plugin()],
      introspection: config.auth.introspection,
      limits: config.limits,
      rateLimits,
    });
    stops.push(() => graphql.stop());
    const playground = config.auth.playground ? createPlaygroundRoute() : undefined;
    const health = createHealthRoutes(
      readinessChecks(store, warehouse),
      config.lifecycle.readyCheckTimeoutMs,
    );

    load = () => graphql.load();
    const metrics = createMetricsRoute(gatewayMetrics, auth, config.metrics.token);
    const routes = createRoutes({
      // Where the dashboard's presigned PUTs go: the page's CSP allows connecting there.
      uploadOrigin: new URL(await store.presignPut('cors-origin-probe', 60)).origin,
      config,
      logger,
      auth,
      graphql,
      playground,
      ingest,
      warehouse,
      rateLimits,
      metrics,
      health,
    });
    const server = http.createServer(routes.request);
    server.on('checkContinue', routes.checkContinue);
    const subscriptions = attachSubscriptions(server, {
      auth,
      services,
      logger,
      allowedHosts: config.auth.allowedHosts,
      documentLimits: config.limits.document,
      connectionLimits: {
        total: config.limits.load.wsMaxConnections,
        perCaller: config.limits.load.wsCallerMaxConnections,
      },
      production,
    });
    // Large uploads stream for as long as they take; idle sockets still time out.
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, resolve);
    });
    const draining = drainOnStop(server);
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host}:${port}`;
    pageOrigins = config.publicOrigins ?? ownOrigins(config.auth.allowedHosts, config.host, port);
    logger.info('listening', {
      url,
      dashboardUrl: `${url}/`,
      graphqlUrl: `${url}/graphql`,
      playgroundUrl: `${url}/playground`,
      s3: s3Endpoint,
      s3CorsOrigins: embeddedS3 ? pageOrigins : undefined,
      clickhouse: config.clickhouse.mode,
      registeredOperations: registered.size,
      allowListOnly: config.operations.allowListOnly,
      ...auth.describe(),
      allowedHosts: config.auth.allowedHosts ?? 'any',
      introspection: config.auth.introspection,
      playground: config.auth.playground,
    });
    if (!auth.required)
      logger.warn(
        'no API keys or JWKS configured: serving loopback callers only, each with every role; set API_KEYS, API_KEYS_FILE or JWT_JWKS_FILE/JWT_JWKS_URL before exposing the gateway',
        { host: config.host },
      );
    return {
      url,
      graphqlUrl: `${url}/graphql`,
      s3Endpoint,
      services,
      warehouse,
      close: () =>
        stopWithin(config.lifecycle.shutdownTimeoutMs, logger, {
          drain: () => {
            health.markStopping();
            // Open subscriptions would hold the server: they end (clients reconnect elsewhere).
            void subscriptions.close();
            return draining.drain();
          },
          interrupt: async () => {
            interrupted = true;
            draining.interrupt();
            const ids = ingest.loadsInFlight();
            if (ids.length === 0) return;
            logger.warn('shutdown interrupted loads; they load again at the next start', { uploadIds: ids });
            await ingest.handBackInterrupted();
          },
          stop: () => stopAll(stops),
        }),
    };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

/** Configured keys, else (embedded store only) the pair generated for this data directory. */
function s3Credentials(config: Config): S3Credentials {
  const { accessKeyId, secretAccessKey } = config.s3;
  if (accessKeyId && secretAccessKey) return { accessKeyId, secretAccessKey };
  return loadOrCreateEmbeddedCredentials(config.dataDir);
}

async function stopAll(stops: Array<() => Promise<void> | void>): Promise<void> {
  for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
  stops.length = 0;
}
