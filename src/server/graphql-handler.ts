import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { Principal } from '../auth/principal';
import type { LimitsConfig } from '../config/limits-config';
import type { ResponseCache } from '../cache/response-cache';
import type { Logger } from '../config/logger';
import { AppError, badInput } from '../errors/app-error';
import { guardRootFields } from '../graphql/access-guard';
import { createContext, type GatewayContext, type Services } from '../graphql/context';
import { cacheableOperationPlugin } from '../graphql/cacheable-operation';
import { kpiExtensionsPlugin } from '../graphql/extensions-plugin';
import { createFormatError } from '../graphql/format-error';
import { costLimitPlugin } from '../graphql/limits/cost-plugin';
import { documentRules } from '../graphql/limits/document-rules';
import { TokenBuckets } from '../graphql/limits/token-buckets';
import { requestScope } from '../graphql/request-scope';
import { gatewaySchema } from '../graphql/schema';
import { inSpan, tracingActive } from '../telemetry/spans';
import { asCacheHit, responseKeyOf, sendAnswer, sendCached } from './graphql-answer';
import { callerTag, dataTag, parseResult, successfulDataOf } from './http-cache';
import { callerId } from './caller-id';
import { operationSpanPlugin, traceRootFields } from './graphql-tracing';
import { readSmallBody, sendError } from './http-util';
import { AdmissionGate, sendGraphQLRefusal, type RateLimits } from './load-shedding';
import type { PersistedOperations } from './persisted-operations';

/** GraphQL request bodies are small; anything larger is abuse. */
export const MAX_GRAPHQL_BODY_BYTES = 1024 * 1024;

export interface GraphQLHandler {
  /** Serves one request of an authenticated caller; `requestId` is already on the response. */
  handle(req: IncomingMessage, res: ServerResponse, call: GraphQLCall): Promise<void>;
  /** Operations running and waiting at the admission gate, and refused so far. */
  load(): { running: number; waiting: number; refused: number };
  stop(): Promise<void>;
}

export interface GraphQLCall {
  readonly url: URL;
  readonly principal: Principal;
  readonly requestId: string;
}

export interface OperationOptions {
  readonly persisted: PersistedOperations;
  readonly httpCacheMaxAgeSeconds: number;
  /** Whole answers of versioned read-only operations (see cacheable-operation.ts). */
  readonly responses: ResponseCache;
  /** Schema introspection (off by default on a non-loopback bind). */
  readonly introspection: boolean;
  readonly limits: LimitsConfig;
  /** Shared with the upload route: one set of buckets per caller. */
  readonly rateLimits: RateLimits;
  /** More Apollo plugins (metrics). */
  readonly plugins?: readonly ApolloServerPlugin<GatewayContext>[];
}

/** Apollo Server 5 on node:http, without a framework: the gateway's overhead stays small. */
export async function createGraphQLHandler(
  services: Services,
  logger: Logger,
  production: boolean,
  operations: OperationOptions,
): Promise<GraphQLHandler> {
  const rules = documentRules(operations.limits.document);
  const { cost } = operations.limits;
  const budgets = new TokenBuckets(cost.budgetUnits, cost.budgetUnits / cost.budgetWindowMs);
  const apollo = new ApolloServer<GatewayContext>({
    schema: traceRootFields(guardRootFields(gatewaySchema())),
    formatError: createFormatError(logger, production),
    includeStacktraceInErrorResponses: !production,
    introspection: operations.introspection,
    validationRules: rules.validationRules,
    parseOptions: rules.parseOptions,
    // src/index.ts owns shutdown; Apollo's own signal handler kept the process alive after SIGTERM.
    stopOnTerminationSignals: false,
    // Registered operations answer by hash from the first request; ttl null: they never expire.
    persistedQueries: { cache: operations.persisted.store, ttl: null },
    // Cache-control hints are not used (answers carry ETags; see http-cache.ts), and Apollo's plugin
    // for them wraps every field resolver (its cost: docs/architecture.md, "Measured reasons").
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      operations.persisted.plugin,
      kpiExtensionsPlugin,
      cacheableOperationPlugin,
      ...rules.plugins,
      costLimitPlugin(cost, budgets),
      operationSpanPlugin,
      ...(operations.plugins ?? []),
    ],
  });
  await apollo.start();
  const responses = operations.responses;
  const gate = new AdmissionGate(operations.limits.load);
  return {
    async handle(req, res, { url, principal, requestId }) {
      const caller = `${principal.id}\n${principal.access}`;
      // Whom rate limits, queues and the cost budget count this request for.
      const limitedAs = callerId(req, principal);
      let release: (() => void) | undefined;
      try {
        const method = req.method ?? 'GET';
        const headers = new HeaderMap();
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const text =
          method === 'POST'
            ? await readSmallBody(req, {
                maxBytes: MAX_GRAPHQL_BODY_BYTES,
                timeoutMs: operations.limits.load.graphqlBodyTimeoutMs,
              })
            : undefined;
        const refused = await admission(() => operations.rateLimits.take('query', limitedAs));
        if (refused) return void sendGraphQLRefusal(res, refused, requestId);
        // Another replica may have loaded data since this one last looked (one Redis read).
        await services.directory.refresh();
        const key = responses.enabled
          ? responseKeyOf(method, headers, text ?? url.search, {
              dataGeneration: services.directory.generation,
              access: principal.access,
            })
          : undefined;
        const hit = key === undefined ? undefined : responses.get(key);
        if (hit) {
          if (tracingActive()) trace.getActiveSpan()?.setAttribute('kpi.response_cache', 'hit');
          sendCached(
            res,
            { method, requestHeaders: headers, requestId, hit, caller },
            operations.httpCacheMaxAgeSeconds,
          );
          return;
        }
        let body: unknown;
        if (text !== undefined) {
          try {
            body =
              text.length > 0 && (headers.get('content-type') ?? '').includes('json')
                ? JSON.parse(text)
                : text;
          } catch (error) {
            throw badInput('The request body is not valid JSON', { reason: (error as Error).message });
          }
        }
        // Only work that can reach ClickHouse waits for a turn; cached answers went out above.
        const overloaded = await admission(async () => (release = await gate.admit(limitedAs)));
        if (overloaded) return void sendGraphQLRefusal(res, overloaded, requestId);
        let context: GatewayContext | undefined;
        const response = await requestScope.run({ requestId, access: principal.access }, () =>
          inSpan('graphql', { attributes: { 'kpi.request_id': requestId } }, () =>
            apollo.executeHTTPGraphQLRequest({
              httpGraphQLRequest: { method, headers, search: url.search, body },
              context: async () => (context = createContext(services, requestId, principal, limitedAs)),
            }),
          ),
        );
        const status = response.status ?? 200;
        // Only GET answers may be stored by HTTP caches (sendAnswer says so when they are).
        if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
        if (response.body.kind !== 'complete') {
          for (const [name, value] of response.headers) res.setHeader(name, value);
          res.setHeader('x-request-id', requestId);
          res.statusCode = status;
          for await (const chunk of response.body.asyncIterator) res.write(chunk);
          res.end();
          return;
        }
        const storable = key !== undefined && context?.response.cacheable === true;
        const result =
          status === 200 && (method === 'GET' || storable) ? parseResult(response.body.string) : undefined;
        const data = successfulDataOf(result);
        const etag = data === undefined ? undefined : dataTag(data);
        if (storable && key !== undefined && result !== undefined && data !== undefined) {
          const cachedBody = JSON.stringify({
            data: result.data,
            extensions: asCacheHit(result.extensions),
          });
          const cachedHeaders = [...response.headers].filter(([name]) => name !== 'content-length').flat();
          responses.set(key, {
            status,
            headers: [...cachedHeaders, 'content-length', String(Buffer.byteLength(cachedBody))],
            body: cachedBody,
            etag,
          });
        }
        sendAnswer(
          res,
          { method, requestHeaders: headers, requestId },
          {
            status,
            headers: response.headers,
            body: response.body.string,
            etag: etag && callerTag(etag, caller),
          },
          operations.httpCacheMaxAgeSeconds,
        );
      } catch (error) {
        sendError(res, error, production, { logger, requestId });
      } finally {
        release?.();
      }
    },
    load: () => gate.load,
    stop: () => apollo.stop(),
  };
}

/** A refusal (RATE_LIMITED, OVERLOADED) as a value; anything else is a fault and is thrown. */
async function admission(step: () => unknown): Promise<AppError | undefined> {
  try {
    await step();
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}
