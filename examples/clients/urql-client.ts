import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';

/**
 * urql 6 against the gateway. urql sends short queries as GET; the gateway answers a GET only
 * when it carries a header a cross-site page cannot send without the browser asking first (its
 * CSRF protection), so every request carries `apollo-require-preflight`.
 */
export function createUrqlClient(graphqlUrl: string): Client {
  return new Client({
    url: graphqlUrl,
    exchanges: [cacheExchange, persistedExchange(), fetchExchange],
    fetchOptions: { headers: { 'apollo-require-preflight': 'true' } },
  });
}
