import {
  buildSchema,
  graphql,
  parse,
  subscribe,
  type ExecutionResult,
  type GraphQLObjectType,
} from 'graphql';
import { createPrincipal, type Principal } from '../../src/auth/principal';
import type { GatewayContext } from '../../src/graphql/context';
import { guardRootFields } from '../../src/graphql/access-guard';

/**
 * The guard on a small schema of the same root-field names: roles, dataset arguments (also on
 * fields added later, and on subscriptions), and the filtered dataset list.
 */
const schema = buildSchema(`
  type Dataset { name: String! }
  type Query {
    datasets: [Dataset!]!
    sales(dataset: String!): String
    turnout(dataset: String!, registry: String): String
    addedLater(datasets: [String!]): String
  }
  type Mutation { createUpload(dataset: String!, replaces: String): String, somethingNew: String }
  type Subscription { dataVersion(dataset: String!): Int }
`);
const fields = (name: 'Query' | 'Mutation' | 'Subscription') =>
  (schema.getType(name) as GraphQLObjectType).getFields();
fields('Query').datasets!.resolve = () => ['acme-sales', 'beta-sales', 'acme-more'].map((name) => ({ name }));
for (const name of ['sales', 'turnout', 'addedLater'])
  fields('Query')[name]!.resolve = (_s, args) => `answered ${JSON.stringify(args)}`;
fields('Mutation').createUpload!.resolve = () => 'slot';
fields('Mutation').somethingNew!.resolve = () => 'done';
fields('Subscription').dataVersion!.subscribe = async function* () {
  yield { dataVersion: 7 };
};
guardRootFields(schema);

const acmeReader = createPrincipal('key:a', ['reader'], ['acme-*']);
const acmeUploader = createPrincipal('key:u', ['uploader'], ['acme-*']);
const admin = createPrincipal('key:root', ['admin'], null);

async function run(principal: Principal, source: string): Promise<ExecutionResult> {
  return graphql({ schema, source, contextValue: { principal } as unknown as GatewayContext });
}
const codes = (result: ExecutionResult) =>
  result.errors?.map((e) => (e.originalError as { code?: string })?.code);

test('roles: queries need reader, uploads uploader, REPLACE mode and unlisted mutations admin', async () => {
  expect(codes(await run(acmeUploader, '{ sales(dataset: "acme-sales") }'))).toEqual(['FORBIDDEN']);
  expect(codes(await run(acmeReader, 'mutation { createUpload(dataset: "acme-x") }'))).toEqual(['FORBIDDEN']);
  expect((await run(acmeUploader, 'mutation { createUpload(dataset: "acme-x") }')).data).toEqual({
    createUpload: 'slot',
  });
  expect(
    codes(await run(acmeUploader, 'mutation { createUpload(dataset: "acme-x", replaces: "u1") }')),
  ).toEqual(['FORBIDDEN']);
  expect(codes(await run(acmeUploader, 'mutation { somethingNew }'))).toEqual(['FORBIDDEN']);
  expect((await run(admin, 'mutation { somethingNew }')).data).toEqual({ somethingNew: 'done' });
});

test('dataset arguments out of scope answer DATASET_NOT_FOUND, whatever the field; lists are filtered', async () => {
  const hidden = await run(
    acmeReader,
    '{ a: sales(dataset: "acme-sales") b: turnout(dataset: "acme-t", registry: "beta-r") }',
  );
  expect(hidden.data).toEqual({ a: 'answered {"dataset":"acme-sales"}', b: null });
  expect(hidden.errors?.[0]?.message).toBe('No dataset named beta-r');
  expect(codes(await run(acmeReader, '{ addedLater(datasets: ["acme-1", "beta-2"]) }'))).toEqual([
    'DATASET_NOT_FOUND',
  ]);
  expect(codes(await run(acmeUploader, 'mutation { createUpload(dataset: "beta-x") }'))).toEqual([
    'FORBIDDEN',
  ]);
  expect((await run(acmeReader, '{ datasets { name } }')).data).toEqual({
    datasets: [{ name: 'acme-sales' }, { name: 'acme-more' }],
  });
  expect(((await run(admin, '{ datasets { name } }')).data?.datasets as unknown[]).length).toBe(3);
});

test('a subscription is checked when it starts', async () => {
  const start = (principal: Principal, dataset: string) =>
    subscribe({
      schema,
      document: parse(`subscription { dataVersion(dataset: "${dataset}") }`),
      contextValue: { principal } as unknown as GatewayContext,
    });
  const refused = (await start(acmeReader, 'beta-sales')) as ExecutionResult;
  expect(codes(refused)).toEqual(['DATASET_NOT_FOUND']);
  const stream = (await start(acmeReader, 'acme-sales')) as AsyncIterableIterator<ExecutionResult>;
  expect((await stream.next()).value).toEqual({ data: { dataVersion: 7 } });
});
