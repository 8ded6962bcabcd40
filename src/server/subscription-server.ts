import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import {
  GraphQLError,
  OperationTypeNode,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type GraphQLFormattedError,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import type { LimitsConfig } from '../config/limits-config';
import type { Logger } from '../config/logger';
import { AppError } from '../errors/app-error';
import { guardRootFields } from '../graphql/access-guard';
import { createContext, type Services } from '../graphql/context';
import { createFormatError } from '../graphql/format-error';
import { documentRules } from '../graphql/limits/document-rules';
import { requestScope } from '../graphql/request-scope';
import { gatewaySchema } from '../graphql/schema';
import { callerId } from './caller-id';
import { assertHostAllowed } from './request-gate';
import { WebSocketCaps } from './websocket-caps';
import type { AuthAttempts } from './auth-failure-limit';

export interface SubscriptionDeps {
  readonly auth: AuthAttempts;
  readonly services: Services;
  readonly logger: Logger;
  readonly allowedHosts: readonly string[] | null;
  readonly documentLimits: LimitsConfig['document'];
  readonly connectionLimits: { readonly total: number; readonly perCaller: number };
  /** Masks internal errors as HTTP answers do (NODE_ENV=production). */
  readonly production: boolean;
}

/** What a subscription's errors are formatted with: its request id and the caller's access. */
interface SubscriptionScope {
  readonly requestId: string;
  readonly access: string;
}

/** Codes Apollo Server gives the same errors over HTTP, for errors graphql-js raises without one. */
const PARSE_FAILED = 'GRAPHQL_PARSE_FAILED';
const VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED';
const BAD_REQUEST = 'BAD_REQUEST';

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
  const caps = new WebSocketCaps(deps.connectionLimits);
  const format = subscriptionErrorFormatter(deps);
  // Per connection, per subscription id: the scope its errors are formatted in.
  const scopes = new WeakMap<object, Map<string, SubscriptionScope>>();
  const scopeOf = (ctx: object, id: string, principal?: Principal): SubscriptionScope => {
    const byId = scopes.get(ctx) ?? new Map<string, SubscriptionScope>();
    scopes.set(ctx, byId);
    const known = byId.get(id);
    if (known) return known;
    const scope = { requestId: randomUUID(), access: principal?.access ?? '' };
    byId.set(id, scope);
    return scope;
  };

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
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      if (caps.admit(ws)) sockets.emit('connection', ws, req);
    });
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
          const principal = await deps.auth.authenticate(extra.request, headers);
          // A caller past its bound: the socket is closed with 1013 before graphql-ws answers.
          if (!caps.admitCaller(extra.socket, callerId(extra.request, principal))) return false;
          principals.set(extra.request, principal);
          return true;
        } catch (error) {
          // graphql-ws closes with 4403 Forbidden; the reason is not sent (it may name a key).
          deps.logger.info('subscription connection refused', {
            reason: error instanceof AppError ? error.code : 'error',
          });
          return false;
        }
      },
      onSubscribe: (ctx, id, payload) => {
        const principal = principals.get(ctx.extra.request);
        const scope = scopeOf(ctx, id, principal);
        if (!principal) return [coded(new GraphQLError('Not authenticated'), 'UNAUTHENTICATED')];
        let document;
        try {
          document = parse(payload.query, rules.parseOptions);
        } catch (error) {
          return [
            coded(
              error instanceof GraphQLError ? error : new GraphQLError('Unparsable document'),
              PARSE_FAILED,
            ),
          ];
        }
        const errors = validate(schema, document, [...specifiedRules, ...rules.validationRules]);
        if (errors.length > 0) return errors.map((e) => coded(e, VALIDATION_FAILED));
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== OperationTypeNode.SUBSCRIPTION)
          return [
            coded(
              new GraphQLError(
                'Only subscriptions run over WebSocket: send queries and mutations to /graphql over HTTP',
              ),
              BAD_REQUEST,
            ),
          ];
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: createContext(
            deps.services,
            scope.requestId,
            principal,
            callerId(ctx.extra.request, principal),
          ),
        };
      },
      // Errors leave as they do over HTTP: a stable code, internal ones masked, and the request id.
      onError: (ctx, id, _payload, errors) => format(errors, scopeOf(ctx, id)),
      // graphql-ws's hook takes five parameters.
      onNext: (...[ctx, id, , , result]) =>
        result.errors ? { ...result, errors: format(result.errors, scopeOf(ctx, id)) } : undefined,
      onComplete: (ctx, id) => void scopes.get(ctx)?.delete(id),
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

/**
 * The HTTP boundary's formatter (createFormatError) applied to a subscription's errors, in the
 * subscription's request scope. There is no `x-request-id` header per message, so every error
 * carries `extensions.requestId`; errors graphql-js raises without a code get Apollo's code for
 * the same error over HTTP (`BAD_USER_INPUT` for variables).
 */
export function subscriptionErrorFormatter(
  deps: Pick<SubscriptionDeps, 'logger' | 'production'>,
): (errors: readonly GraphQLError[], scope: SubscriptionScope) => GraphQLFormattedError[] {
  const formatError = createFormatError(deps.logger, deps.production);
  return (errors, scope) =>
    requestScope.run(scope, () =>
      errors.map((error) => {
        const withCode =
          error.extensions.code === undefined && !error.originalError
            ? coded(error, 'BAD_USER_INPUT')
            : error;
        const formatted = formatError(withCode.toJSON(), withCode);
        return { ...formatted, extensions: { ...formatted.extensions, requestId: scope.requestId } };
      }),
    );
}

function coded(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions.code !== undefined) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

function assertSameOrigin(req: http.IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  if (new URL(origin).host.toLowerCase() !== (req.headers.host ?? '').toLowerCase())
    throw new Error('cross-site WebSocket');
}
