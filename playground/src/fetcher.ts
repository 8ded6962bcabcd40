import type { GraphiQLProps } from 'graphiql';

/**
 * POSTs each operation with the headers from GraphiQL's headers editor (where an
 * `authorization` header is set). A plain fetch: no subscriptions or multipart to speak of yet.
 */
export function createFetcher(url: string): GraphiQLProps['fetcher'] {
  return async (params, options) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    for (const [name, value] of Object.entries(options?.headers ?? {}))
      headers[name.toLowerCase()] = String(value);
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(params) });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      // Not a GraphQL response (a proxy's error page, say): show the status and text as they came.
      return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] };
    }
  };
}
