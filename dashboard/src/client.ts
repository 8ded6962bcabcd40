import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient } from 'graphql-ws';

/**
 * urql, as docs/clients.md recommends to client teams: its document cache, plain fetch to /graphql
 * on this origin, and subscriptions over graphql-ws on the same path. A gateway with API keys
 * needs one: it is kept for this tab only (sessionStorage) and sent as a bearer token.
 */
export const API_KEY_STORAGE = 'kpi-dashboard-api-key';

export function apiKey(): string | null {
  return sessionStorage.getItem(API_KEY_STORAGE);
}

export function createGatewayClient(): Client {
  const key = apiKey();
  const authorization = key ? `Bearer ${key}` : undefined;
  const ws = createWsClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: authorization ? { authorization } : {},
    lazy: true,
  });
  return new Client({
    url: '/graphql',
    preferGetMethod: false,
    fetchOptions: () => ({
      headers: { ...(authorization ? { authorization } : {}), 'apollo-require-preflight': 'true' },
    }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink),
          }),
        }),
      }),
    ],
  });
}
