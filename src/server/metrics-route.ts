import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasRole } from '../auth/principal';
import type { AuthAttempts } from './auth-failure-limit';
import { AppError, ErrorCode } from '../errors/app-error';
import type { GatewayMetrics } from './gateway-metrics';

export type { LoadFigures } from './gateway-metrics';

/**
 * `GET /metrics` in Prometheus' text format. Open while the gateway needs no credentials (it then
 * serves loopback callers only); once keys or JWTs are configured, the metrics (operation names,
 * dataset-independent counts, memory) are for operators: the scraper sends `METRICS_TOKEN` as a
 * bearer token, or an admin's own credentials.
 */
export function createMetricsRoute(metrics: GatewayMetrics, auth: AuthAttempts, token?: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (auth.required && !(token && bearerIs(req, token))) {
      const principal = await auth.authenticate(req);
      if (!hasRole(principal, 'admin'))
        throw new AppError(ErrorCode.FORBIDDEN, 'Metrics are for the admin role or the METRICS_TOKEN');
    }
    const { contentType, body } = await metrics.scrape();
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    res.end(body);
  };
}

function bearerIs(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const sent = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
