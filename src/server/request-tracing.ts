import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { SpanKind, tracer, tracingActive } from '../telemetry/spans';

/** Routes named on spans; anything else (dashboard files, the playground, 404s) is `other`. */
const ROUTES = new Set(['/graphql', '/uploads']);

const contexts = new WeakMap<IncomingMessage, Context>();

/**
 * The request's server span, started once (a request gated at `Expect: 100-continue` asks twice),
 * under the caller's `traceparent` when it sends one. It ends when the answer is sent or the
 * connection closes. No query string is recorded: a GET GraphQL request carries its variables
 * there. Undefined while tracing is off.
 */
export function requestContext(
  req: IncomingMessage,
  res: ServerResponse,
  { requestId, path }: { requestId: string; path: string },
): Context | undefined {
  if (!tracingActive()) return undefined;
  const known = contexts.get(req);
  if (known) return known;
  const route = ROUTES.has(path) ? path : 'other';
  const method = req.method ?? 'GET';
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer().startSpan(
    `${method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        'http.route': route,
        'url.path': path,
        'url.scheme': 'http',
        'network.protocol.version': req.httpVersion,
        'client.address': req.socket.remoteAddress ?? '',
        'kpi.request_id': requestId,
      },
    },
    parent,
  );
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    if (!res.writableFinished) span.setAttribute('kpi.connection_closed_early', true);
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  const traced = trace.setSpan(parent, span);
  contexts.set(req, traced);
  return traced;
}

/** Runs `work` inside the request's span when there is one. */
export function withRequestContext<T>(traced: Context | undefined, work: () => T): T {
  return traced ? context.with(traced, work) : work();
}
