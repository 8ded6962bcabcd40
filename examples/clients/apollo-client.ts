import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { kpiTypePolicies } from '../../operations/apollo-type-policies';

/** Hex SHA-256 with Web Crypto (browsers, Node ≥ 20): what automatic persisted queries send. */
async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Apollo Client 4 against the gateway: persisted queries by hash over GET, report objects kept per field. */
export function createApolloClient(graphqlUrl: string): ApolloClient {
  const persisted = new PersistedQueryLink({ sha256, useGETForHashedQueries: true });
  return new ApolloClient({
    cache: new InMemoryCache({ typePolicies: kpiTypePolicies }),
    link: persisted.concat(new HttpLink({ uri: graphqlUrl })),
  });
}
