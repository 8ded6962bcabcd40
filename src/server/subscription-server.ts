import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, OperationTypeNode, getOperationAST, parse, specifiedRules, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Authenticator } from '../auth/authenticator';
import type { Principal } from '../auth/principal';
import type { LimitsConfig } from '../config/limits-config';
import type { Logger } from '../config/logger';
import { AppError } from '../errors/app-error';
import { guardRootFields } from '../graphql/access-guard';
import { createContext, type Services } from '../graphql/context';
import { documentRules } from '../graphql/limits/document-rules';
import { gatewaySchema } from '../graphql/schema';
import { callerId } from './caller-id';
import { assertHostAllowed } from './request-gate';

export interface SubscriptionDeps {
  readonly auth: Authenticator;
  readonly services: Services;
  readonly logger: Logger;
  readonly allowedHosts: readonly string[] | null;
  readonly documentLimits: LimitsConfig['document'];
}

/** Credentials a browser cannot put on a WebSocket's headers, it sends in `connectionParams`. */
const CREDENTIAL_PARAMS = ['authorization', 'x-api-key'] as const;

/**
 * GraphQL subscriptions over graphql-ws on the HTTP server's own port, at /graphql. The upgrade
 * passes the same Host check as HTTP and refuses other sites' pages (a browser lets any page open
 * a WebSocket, and a loopback gateway without keys would treat it as local). The caller is
 * authenticated once per connection like an HTTP request; the access guard then checks each
 * subscription's role and dataset scope. Only subscriptions run here: queries and mutations go
 * through /graphql over HTTP, where the limits, caches and rate limits are.
 */
export function attachSubscriptions(server: http.Server, deps: SubscriptionDeps): { close(): Promise<void> } {
  const sockets = new WebSocketServer({ noServer: true });
  const principals = new WeakMap<http.IncomingMessage, Principal>();
  const rules = documentRules(deps.documentLimits);
  const schema = guardRootFields(gatewaySchema());

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    try {
      if (url.pathname !== '/graphql') throw new Error('no WebSocket route');
      assertHostAllowed(req, deps.allowedHosts);
      assertSameOrigin(req);
    } catch {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });

  const served = useServer(
    {
      schema,
      onConnect: async ({ extra, connectionParams }) => {
        const headers = { ...extra.request.headers };
        for (const name of CREDENTIAL_PARAMS) {
          const value = connectionParams?.[name];
          if (typeof value === 'string') headers[name] = value;
        }
        try {
          principals.set(extra.request, await deps.auth.authenticate(headers));
          return true;
        } catch (error) {
          // graphql-ws closes with 4403 Forbidden; the reason is not sent (it may name a key).
          deps.logger.info('subscription connection refused', {
            reason: error instanceof AppError ? error.code : 'error',
          });
          return false;
        }
      },
      onSubscribe: ({ extra }, _id, payload) => {
        const principal = principals.get(extra.request);
        if (!principal) return [new GraphQLError('Not authenticated')];
        let document;
        try {
          document = parse(payload.query, rules.parseOptions);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Unparsable document')];
        }
        const errors = validate(schema, document, [...specifiedRules, ...rules.validationRules]);
        if (errors.length > 0) return [...errors];
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== OperationTypeNode.SUBSCRIPTION)
          return [
            new GraphQLError(
              'Only subscriptions run over WebSocket: send queries and mutations to /graphql over HTTP',
            ),
          ];
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: createContext(
            deps.services,
            randomUUID(),
            principal,
            callerId(extra.request, principal),
          ),
        };
      },
    },
    sockets,
  );

  return {
    close: async () => {
      await served.dispose();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}

function assertSameOrigin(req: http.IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  if (new URL(origin).host.toLowerCase() !== (req.headers.host ?? '').toLowerCase())
    throw new Error('cross-site WebSocket');
}
