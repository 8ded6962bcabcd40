import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { assertMayUpload } from '../auth/access-policy';
import type { Principal } from '../auth/principal';
import type { Config } from '../config/config';
import { logContext, type Logger } from '../config/logger';
import { AppError, ErrorCode } from '../errors/app-error';
import type { IngestService } from '../ingest/ingest-service';
import type { Warehouse } from '../warehouse/warehouse';
import type { AuthAttempts } from './auth-failure-limit';
import { callerId } from './caller-id';
import type { GraphQLHandler } from './graphql-handler';
import { createDashboardRoute } from './dashboard-route';
import type { HealthRoutes } from './health-route';
import { sendError, type ErrorReport } from './http-util';
import type { RateLimits } from './load-shedding';
import type { PlaygroundRoute } from './playground-route';
import { assertHostAllowed, assertNotCrossSite } from './request-gate';
import { requestContext, withRequestContext } from './request-tracing';
import { untraced } from '../telemetry/spans';
import { handleUpload } from './upload-route';

export interface RouteDeps {
  readonly config: Config;
  readonly logger: Logger;
  /** Credentials, with failed attempts limited per client address. */
  readonly auth: AuthAttempts;
  readonly graphql: GraphQLHandler;
  /** Absent when the playground is turned off (GRAPHQL_PLAYGROUND). */
  readonly playground?: PlaygroundRoute;
  readonly ingest: IngestService;
  readonly warehouse: Warehouse;
  /** Uploads per caller (load-shedding.ts). */
  readonly rateLimits: RateLimits;
  /** `GET /metrics` (metrics-route.ts): Prometheus text; admin or METRICS_TOKEN once keys are configured. */
  readonly metrics: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  /** `/healthz` (liveness) and `/readyz` (S3 and ClickHouse). */
  readonly health: HealthRoutes;
  /** Origin of presigned upload URLs: the dashboard's CSP lets the page PUT files there. */
  readonly uploadOrigin?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * Every request: an id (the client's `x-request-id`, or a new one) on the response, the Host
 * check, then credentials on every route that reads or writes data. Health and readiness stay open
 * (they reveal nothing beyond up/down, and probes send the pod's address as Host).
 */
export function createRoutes(deps: RouteDeps): { request: Listener; checkContinue: Listener } {
  const { config, graphql, playground } = deps;
  const production = config.env === 'production';
  const dashboard = createDashboardRoute(undefined, deps.uploadOrigin);
  const request: Listener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    const report = reportFor(req, res, deps.logger);
    if (url.pathname === '/healthz') return deps.health.healthz(res);
    // A probe's checks (HeadBucket, SELECT 1) would start a trace every few seconds: they make none.
    if (url.pathname === '/readyz') return void untraced(() => deps.health.readyz(res));
    const route = async () => {
      if (url.pathname === '/metrics' && req.method === 'GET') return untraced(() => deps.metrics(req, res));
      assertHostAllowed(req, config.auth.allowedHosts);
      if (playground?.wants(req, url)) return playground.handle(req, res, url);
      // Its data comes from /graphql with the caller's credentials: the page itself is public.
      if (dashboard.wants(req, url)) return dashboard.handle(req, res, url);
      if (url.pathname === '/graphql') {
        const principal = await deps.auth.authenticate(req);
        return graphql.handle(req, res, { url, principal, requestId: report.requestId });
      }
      if (url.pathname === '/uploads' && req.method === 'POST') {
        await gateUpload(deps, req, url);
        return handleUpload(req, res, url, {
          ingest: deps.ingest,
          maxBytes: config.uploadMaxBytes,
          errors: { production, report },
          bodyTimeouts: config.uploadBody,
        });
      }
      throw new AppError(
        ErrorCode.NOT_FOUND,
        `No route for ${req.method} ${url.pathname}; GraphQL is at /graphql, uploads at POST /uploads`,
      );
    };
    // Every log line written while this request is served carries its id (and, traced, its span).
    // Probes and scrapes (/healthz, /readyz above, /metrics) make no traces: they would drown the rest.
    const traced =
      url.pathname === '/metrics'
        ? undefined
        : requestContext(req, res, { requestId: report.requestId, path: url.pathname });
    withRequestContext(traced, () =>
      logContext.run({ requestId: report.requestId }, () =>
        route().catch((error: unknown) => refuse(req, res, error, { production, report })),
      ),
    );
  };

  // `Expect: 100-continue` (the CLI sends it): an upload that is refused (credentials, scope, size)
  // is answered before the client sends a byte, so the answer is never lost under a body in flight.
  const checkContinue: Listener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    if (req.method !== 'POST' || url.pathname !== '/uploads') {
      res.writeContinue();
      return void request(req, res);
    }
    const report = reportFor(req, res, deps.logger);
    // The span starts here and `request` finds it again, like the id: one of each per request.
    const traced = requestContext(req, res, { requestId: report.requestId, path: url.pathname });
    withRequestContext(traced, () =>
      logContext.run({ requestId: report.requestId }, () => gateUpload(deps, req, url)),
    ).then(
      () => {
        if (Number(req.headers['content-length'] ?? 0) > config.uploadMaxBytes)
          return void handleUpload(req, res, url, {
            ingest: deps.ingest,
            maxBytes: config.uploadMaxBytes,
            errors: { production, report },
          });
        res.writeContinue();
        request(req, res);
      },
      (error: unknown) => refuse(req, res, error, { production, report }),
    );
  };
  return { request, checkContinue };
}

const rateCounted = new WeakSet<http.IncomingMessage>();

/** Host, cross-site, credentials, role, scope and rate of an upload, all before its body is read. */
async function gateUpload(deps: RouteDeps, req: http.IncomingMessage, url: URL): Promise<Principal> {
  assertHostAllowed(req, deps.config.auth.allowedHosts);
  assertNotCrossSite(req);
  const principal = await deps.auth.authenticate(req);
  assertMayUpload(principal, {
    dataset: url.searchParams.get('dataset') ?? '',
    replaces: url.searchParams.get('replaces'),
  });
  // A request gated at `Expect: 100-continue` comes through here twice: it counts once.
  if (!rateCounted.has(req)) {
    rateCounted.add(req);
    deps.rateLimits.take('upload', callerId(req, principal));
  }
  return principal;
}

const reports = new WeakMap<http.IncomingMessage, ErrorReport>();

/**
 * The request's id, made once: a request gated at `Expect: 100-continue` passes through here
 * again when its body is read, and keeps the id its logs, spans and answer already carry.
 */
function reportFor(req: http.IncomingMessage, res: http.ServerResponse, logger: Logger): ErrorReport {
  const known = reports.get(req);
  if (known) return known;
  const header = req.headers['x-request-id'];
  // A client's own id is kept when it is plain (it ends up in logs); anything else gets a fresh one.
  const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  res.setHeader('x-request-id', requestId);
  const report = { logger, requestId };
  reports.set(req, report);
  return report;
}

/** An answer before (or instead of) reading the body: stop reading it, and close the connection. */
function refuse(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  error: unknown,
  how: { production: boolean; report: ErrorReport },
): void {
  if (res.headersSent) return void res.destroy();
  if (req.method === 'POST' && !req.complete) {
    res.setHeader('connection', 'close');
    req.resume();
  }
  sendError(res, error, how.production, how.report);
}
