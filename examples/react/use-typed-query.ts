import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { useEffect, useState } from 'react';

/**
 * A dependency-free hook over a generated TypedDocumentNode: the result and the variables are
 * typed by the document. Registered operations go out as GET by hash (cacheable, and the only
 * way in when the gateway runs in allow-list mode); the full text is sent only if the gateway
 * does not know the hash yet (automatic persisted queries). urql and Apollo Client accept the
 * same documents directly.
 */
export type QueryState<TResult> =
  { loading: true } | { loading: false; data: TResult } | { loading: false; error: string };

type GraphQLBody<TResult> = {
  data?: TResult;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
};

export async function fetchTyped<TResult, TVariables>(
  endpoint: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash?.replace(/^sha256:/, '');
  // CSRF prevention on the gateway: a header that a cross-site form cannot send.
  const headers = {
    'apollo-require-preflight': 'true',
    accept: 'application/graphql-response+json, application/json',
  };
  let body: GraphQLBody<TResult> | undefined;
  if (hash) {
    const search = new URLSearchParams({
      variables: JSON.stringify(variables),
      extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }),
    });
    body = (await (await fetch(`${endpoint}?${search}`, { headers })).json()) as GraphQLBody<TResult>;
    if (body.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND') body = undefined;
  }
  if (!body) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(document), variables }),
    });
    body = (await response.json()) as GraphQLBody<TResult>;
  }
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (!body.data) throw new Error('The gateway answered without data');
  return body.data;
}

export function useTypedQuery<TResult, TVariables>(
  endpoint: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): QueryState<TResult> {
  const [state, setState] = useState<QueryState<TResult>>({ loading: true });
  const key = JSON.stringify(variables);
  useEffect(() => {
    let current = true;
    setState({ loading: true });
    fetchTyped(endpoint, document, variables).then(
      (data) => current && setState({ loading: false, data }),
      (error: unknown) =>
        current &&
        setState({ loading: false, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
    // `key` stands for `variables`: a new object with the same values must not refetch.
  }, [endpoint, document, key]);
  return state;
}
