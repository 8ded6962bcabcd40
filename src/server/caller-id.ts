import type { IncomingMessage } from 'node:http';
import type { Principal } from '../auth/principal';

/**
 * The one place that says whom rate limits, queues and cost budgets count a request for: the
 * authenticated principal (an API key or a JWT subject), else (a loopback gateway without keys,
 * where every caller is `local`) the remote address, so one local client still cannot take
 * another's share.
 */
export function callerId(req: IncomingMessage, principal?: Principal): string {
  if (principal && principal.id !== 'local') return principal.id;
  return `addr:${req.socket.remoteAddress ?? 'unknown'}`;
}
