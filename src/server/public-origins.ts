import { LOOPBACK_HOST_NAMES } from '../config/api-keys-config';

const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]', '']);

/**
 * The origins the gateway's own pages are opened from, by default: every name the Host check
 * accepts (ALLOWED_HOSTS, by default the loopback names and the bound address) on the port it
 * listens on, over http (TLS and proxies in front are the operator's to name, in PUBLIC_ORIGINS).
 */
export function ownOrigins(allowedHosts: readonly string[] | null, host: string, port: number): string[] {
  const bound = host.trim().toLowerCase();
  const names = allowedHosts ?? [
    ...LOOPBACK_HOST_NAMES,
    ...(WILDCARD_BINDS.has(bound)
      ? []
      : [bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound]),
  ];
  return [...new Set(names.map((name) => `http://${name}:${port}`))];
}
