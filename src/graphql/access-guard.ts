import {
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { assertDatasetVisible, assertMayUpload, requireRole, uploadNotFound } from '../auth/access-policy';
import { canSeeDataset, type Principal } from '../auth/principal';
import type { Role } from '../config/api-keys-config';
import { MAX_PAGE_SIZE } from '../ingest/upload-ledger';
import type { GatewayContext } from './context';

/**
 * Roles and dataset scopes on every root field, applied once to the built schema so resolvers stay
 * unaware of them. Only root fields name datasets and uploads: anything below was reached through
 * a root field that already checked. A root field added later needs `reader` (query) or `admin`
 * (mutation) until listed here, and its `dataset`, `registry` or `datasets` arguments are scope-checked anyway.
 */
type Resolve = GraphQLFieldResolver<unknown, GatewayContext, Record<string, unknown>>;
type Guard = (resolve: Resolve) => Resolve;

const ROLES: Record<string, Role> = {
  sales: 'reader',
  turnout: 'reader',
  kpiCatalog: 'reader',
  datasets: 'reader',
  upload: 'uploader',
  uploads: 'uploader',
  createUpload: 'uploader',
  startUpload: 'uploader',
  retryUpload: 'admin',
};
/** Arguments that name datasets to read (a name, or a list of names). */
const DATASET_ARGUMENTS = ['dataset', 'registry', 'datasets'];

const GUARDS: Record<string, Guard> = {
  datasets: (resolve) => async (source, args, ctx, info) => {
    const list = (await resolve(source, args, ctx, info)) as Array<{ name: string }>;
    return list.filter((dataset) => canSeeDataset(ctx.principal, dataset.name));
  },
  upload: (resolve) => async (source, args, ctx, info) => {
    const upload = (await resolve(source, args, ctx, info)) as { dataset: string } | null;
    return upload && canSeeDataset(ctx.principal, upload.dataset) ? upload : null;
  },
  uploads: (resolve) => (source, args, ctx, info) => visibleUploads(resolve, [source, args, ctx, info]),
  createUpload: (resolve) => (source, args, ctx, info) => {
    assertMayUpload(ctx.principal, {
      dataset: String(args.dataset),
      replaces: args.replaces as string | null,
    });
    return resolve(source, args, ctx, info);
  },
  startUpload: (resolve) => async (source, args, ctx, info) => {
    await assertUploadVisible(ctx, String(args.id));
    return resolve(source, args, ctx, info);
  },
  retryUpload: (resolve) => async (source, args, ctx, info) => {
    await assertUploadVisible(ctx, String(args.id));
    return resolve(source, args, ctx, info);
  },
};

const guarded = new WeakSet<GraphQLSchema>();

/** Wraps the root fields' resolvers of `schema` (once; the schema is built once per process). */
export function guardRootFields(schema: GraphQLSchema): GraphQLSchema {
  if (guarded.has(schema)) return schema;
  guarded.add(schema);
  guardType(schema.getQueryType(), 'reader');
  guardType(schema.getMutationType(), 'admin');
  // A subscription is checked when it starts and again on every event it delivers.
  guardType(schema.getSubscriptionType(), 'reader');
  return schema;
}

type Field = GraphQLField<unknown, GatewayContext, Record<string, unknown>>;

function guardType(type: GraphQLObjectType | null | undefined, fallback: Role): void {
  for (const field of Object.values(type?.getFields() ?? {}) as Field[]) {
    const check = accessCheck(field, `${type?.name}.${field.name}`, ROLES[field.name] ?? fallback);
    const resolve: Resolve = field.resolve ?? ((source) => (source as Record<string, unknown>)[field.name]);
    const inner = GUARDS[field.name]?.(resolve) ?? resolve;
    field.resolve = (source, args, ctx, info) => {
      check(ctx, args);
      return inner(source, args, ctx, info);
    };
    const subscribe = field.subscribe;
    if (subscribe)
      field.subscribe = (source, args, ctx, info) => {
        check(ctx, args);
        return subscribe(source, args, ctx, info);
      };
  }
}

/** The role, then every dataset the arguments name (uploads and createUpload check their own way). */
function accessCheck(field: Field, name: string, role: Role) {
  const scoped = field.args.filter((arg) => DATASET_ARGUMENTS.includes(arg.name)).map((arg) => arg.name);
  const datasetArguments = field.name === 'uploads' || field.name === 'createUpload' ? [] : scoped;
  return (ctx: GatewayContext, args: Record<string, unknown>): void => {
    requireRole(ctx.principal, role, name);
    for (const argument of datasetArguments)
      for (const value of [args[argument]].flat())
        if (typeof value === 'string') assertDatasetVisible(ctx.principal, value);
  };
}

async function assertUploadVisible(ctx: GatewayContext, id: string): Promise<void> {
  if (ctx.principal.datasets === null) return;
  const upload = await ctx.services.ledger.get(id);
  if (upload && !canSeeDataset(ctx.principal, upload.dataset)) throw uploadNotFound(id);
}

interface UploadPage {
  nodes: Array<{ dataset: string }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * The ledger page of a scoped caller holds its own datasets' uploads only, full pages, and says
 * there is a next page only when one of them follows: other datasets' uploads leave no trace.
 */
async function visibleUploads(resolve: Resolve, call: Parameters<Resolve>): Promise<UploadPage> {
  const [source, args, ctx, info] = call;
  const principal: Principal = ctx.principal;
  if (principal.datasets === null) return (await resolve(source, args, ctx, info)) as UploadPage;
  if (typeof args.dataset === 'string' && !canSeeDataset(principal, args.dataset))
    return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const first = Number(args.first);
  const nodes: UploadPage['nodes'] = [];
  let cursor = (args.after as string | null | undefined) ?? null;
  let more: boolean;
  do {
    // The first call passes `first` as asked, so its validation answers a bad value.
    const page = (await resolve(
      source,
      { ...args, first: first - nodes.length, after: cursor },
      ctx,
      info,
    )) as UploadPage;
    nodes.push(...page.nodes.filter((upload) => canSeeDataset(principal, upload.dataset)));
    cursor = page.pageInfo.endCursor ?? cursor;
    more = page.pageInfo.hasNextPage;
  } while (more && nodes.length < first);
  // One more visible upload after the last one returned?
  let hasNextPage = false;
  let peek = cursor;
  while (more && !hasNextPage) {
    const page = (await resolve(
      source,
      { ...args, first: MAX_PAGE_SIZE, after: peek },
      ctx,
      info,
    )) as UploadPage;
    hasNextPage = page.nodes.some((upload) => canSeeDataset(principal, upload.dataset));
    peek = page.pageInfo.endCursor ?? peek;
    more = page.pageInfo.hasNextPage;
  }
  return { nodes, pageInfo: { hasNextPage, endCursor: nodes.length > 0 ? cursor : null } };
}
