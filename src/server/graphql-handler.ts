import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from '../config/logger';
import { badInput } from '../errors/app-error';
import { createContext, type GatewayContext, type Services } from '../graphql/context';
import { kpiExtensionsPlugin } from '../graphql/extensions-plugin';
import { createFormatError } from '../graphql/format-error';
import { gatewaySchema } from '../graphql/schema';
import { applyHttpCaching } from './http-cache';
import { readSmallBody, sendError } from './http-util';
import type { PersistedOperations } from './persisted-operations';

/** GraphQL request bodies are small; anything larger is abuse. */
export const MAX_GRAPHQL_BODY_BYTES = 1024 * 1024;

export interface GraphQLHandler {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  stop(): Promise<void>;
}

export interface OperationOptions {
  readonly persisted: PersistedOperations;
  readonly httpCacheMaxAgeSeconds: number;
}

/** Apollo Server 5 on node:http, without a framework: the gateway's overhead stays small. */
export async function createGraphQLHandler(services: Services, logger: Logger, production: boolean, operations: OperationOptions): Promise<GraphQLHandler> {
  const apollo = new ApolloServer<GatewayContext>({
    schema: gatewaySchema(),
    formatError: createFormatError(logger, production),
    includeStacktraceInErrorResponses: !production,
    introspection: true,
    // src/index.ts owns shutdown; Apollo's own signal handler kept the process alive after SIGTERM.
    stopOnTerminationSignals: false,
    // Registered operations answer by hash from the first request; ttl null: they never expire.
    persistedQueries: { cache: operations.persisted.store, ttl: null },
    plugins: [ApolloServerPluginLandingPageDisabled(), operations.persisted.plugin, kpiExtensionsPlugin],
  });
  await apollo.start();
  return {
    async handle(req, res, url) {
      try {
        const headers = new HeaderMap();
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        let body: unknown;
        if (req.method === 'POST') {
          const text = await readSmallBody(req, MAX_GRAPHQL_BODY_BYTES);
          try {
            body = text.length > 0 && (headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
          } catch (error) {
            throw badInput('The request body is not valid JSON', { reason: (error as Error).message });
          }
        }
        const requestId = (headers.get('x-request-id') ?? '').slice(0, 64) || randomUUID();
        const response = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
          context: async () => {
            // Another replica may have loaded data since this one last looked (one Redis read).
            await services.catalog.refresh();
            return createContext(services, requestId);
          },
        });
        const status = response.status ?? 200;
        const cache =
          response.body.kind === 'complete'
            ? applyHttpCaching(req.method ?? 'GET', headers, status, response.body.string, response.headers, operations.httpCacheMaxAgeSeconds)
            : { notModified: false };
        for (const [name, value] of response.headers) res.setHeader(name, value);
        res.setHeader('x-request-id', requestId);
        res.statusCode = cache.notModified ? 304 : status;
        if (response.body.kind === 'complete') {
          res.end(cache.notModified ? undefined : response.body.string);
          return;
        }
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      } catch (error) {
        sendError(res, error, production);
      }
    },
    stop: () => apollo.stop(),
  };
}
