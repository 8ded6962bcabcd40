import {
  getArgumentValues,
  getNamedType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type OperationDefinitionNode,
} from 'graphql';
import { kpiKind } from '../../kpi/definitions/kpi-kinds';
import { priorRange } from '../../kpi/evaluation/kpi-comparison';
import type { Comparison, KpiKind, KpiRequest, QueryShape } from '../../kpi/kpi-types';
import { normaliseTimeZone } from '../../kpi/planning/time-zones';
import { fieldFlattener } from '../selection';
import { assertFilterBounds } from './argument-bounds';

/** The KPI turnout's registry checks ride on (see turnout-report.resolver.ts). */
const REGISTRY_KPI = 'cumulativeParticipationRate';
const ACTIVITY_KPIS = ['votesCast', 'transactions', 'bulletinsIssued'];

/**
 * The KPI requests an operation will make, worked out from the document alone, the way the
 * resolvers will make them: one per report field (`totals`, `series`, `breakdown`, …) of each
 * root `sales`/`turnout` field, two for a comparison, one more for shares. The loader merges
 * requests of the same shape; the cost model counts them after the same merge.
 *
 * Filter lists past their bounds are refused here (BAD_USER_INPUT naming the argument); other
 * arguments that do not coerce or name nothing are left to the resolvers, which refuse them with
 * a typed error.
 */
export function plannedRequests(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode | undefined>>,
  queryType: GraphQLObjectType,
  variables: Record<string, unknown>,
): PlannedRequest[] {
  if (operation.operation !== 'query') return [];
  const flatten = fieldFlattener(fragments);
  const requests: PlannedRequest[] = [];
  for (const root of flatten(operation.selectionSet)) {
    const name = root.name.value;
    if (name === 'kpiCatalog') requests.push(...catalogRequests(queryType, root, variables));
    if (name === 'upload' || name === 'uploads')
      requests.push(...ledgerReads(queryType.getFields()[name], root, flatten, variables));
    if (name !== 'sales' && name !== 'turnout') continue;
    const definition = queryType.getFields()[name];
    const report = definition && reportOf(name, definition, root, variables);
    const type = definition && getNamedType(definition.type);
    if (!report || !root.selectionSet || !isObjectType(type)) continue;
    const walk: Walk = { flatten, type, variables, report };
    for (const field of flatten(root.selectionSet)) requests.push(...requestsOf(walk, field));
  }
  return requests;
}

type Report = Omit<KpiRequest, 'kpis' | 'shape'>;

/**
 * A request the loader does not merge with its like: each one is a query of its own. A ledger
 * read (`upload`, `uploads`, an upload's `rowErrors`) is one query too, with no KPI in it.
 */
export type PlannedRequest = KpiRequest & { readonly unmerged?: true; readonly ledger?: true };

const LEDGER_READ: PlannedRequest = {
  kind: 'sales',
  dataset: '',
  range: { from: new Date(0), to: new Date(0) },
  timeZone: 'UTC',
  filters: {},
  kpis: [],
  shape: { type: 'totals' },
  unmerged: true,
  ledger: true,
};

/** `upload(id)` reads one ledger row, `uploads` one page; `rowErrors` on them one query per upload. */
function ledgerReads(
  definition: GraphQLField<unknown, unknown> | undefined,
  node: FieldNode,
  flatten: ReturnType<typeof fieldFlattener>,
  variables: Record<string, unknown>,
): PlannedRequest[] {
  const children = node.selectionSet ? flatten(node.selectionSet) : [];
  const hasRowErrors = (fields: readonly FieldNode[]) => fields.some((f) => f.name.value === 'rowErrors');
  if (node.name.value === 'upload')
    return hasRowErrors(children) ? [LEDGER_READ, LEDGER_READ] : [LEDGER_READ];
  const args = definition ? argumentsOf(definition, node, variables) : null;
  const first = typeof args?.first === 'number' ? Math.max(0, Math.min(args.first, 100)) : 100;
  const perUpload = children.some(
    (f) => f.name.value === 'nodes' && f.selectionSet !== undefined && hasRowErrors(flatten(f.selectionSet)),
  );
  return Array.from({ length: perUpload ? 1 + first : 1 }, () => LEDGER_READ);
}

/**
 * `kpiCatalog(dataset, range)` reads row coverage over the range: one query of the dataset's
 * sales totals, asked by the resolver directly (not through the loader), so each is counted.
 */
function catalogRequests(
  queryType: GraphQLObjectType,
  node: FieldNode,
  variables: Record<string, unknown>,
): PlannedRequest[] {
  const definition = queryType.getFields().kpiCatalog;
  const args = definition && argumentsOf(definition, node, variables);
  const range = args?.range as { from?: unknown; to?: unknown } | undefined;
  if (typeof args?.dataset !== 'string' || !(range?.from instanceof Date) || !(range.to instanceof Date))
    return [];
  return [
    {
      kind: 'sales',
      dataset: args.dataset,
      range: { from: range.from, to: range.to },
      timeZone: 'UTC',
      filters: {},
      kpis: [...kpiKind('sales').kpis.keys()],
      shape: { type: 'totals' },
      unmerged: true,
    },
  ];
}

interface Walk {
  readonly flatten: ReturnType<typeof fieldFlattener>;
  readonly type: GraphQLObjectType;
  readonly variables: Record<string, unknown>;
  readonly report: Report;
}

function reportOf(
  kind: KpiKind,
  definition: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
): Report | null {
  const args = argumentsOf(definition, node, variables);
  const range = args?.range as { from?: unknown; to?: unknown } | undefined;
  if (args) assertFilterBounds(args.filter);
  if (!args || !(range?.from instanceof Date) || !(range.to instanceof Date)) return null;
  const filters: Record<string, string[]> = {};
  for (const [dimension, values] of Object.entries((args.filter ?? {}) as Record<string, unknown>))
    if (Array.isArray(values)) filters[dimension] = values.map(String);
  return {
    kind,
    dataset: String(args.dataset),
    election:
      kind === 'turnout'
        ? {
            electionId: String(args.electionId),
            registry: typeof args.registry === 'string' ? args.registry : null,
          }
        : undefined,
    range: { from: range.from, to: range.to },
    timeZone: normaliseTimeZone(String(args.timeZone)) ?? 'UTC',
    filters,
  };
}

function requestsOf(walk: Walk, field: FieldNode): KpiRequest[] {
  const definition = walk.type.getFields()[field.name.value];
  if (!definition) return [];
  const args = argumentsOf(definition, field, walk.variables) ?? {};
  const kpisUnder = (path: string[]) => kpiNames(walk, field, path);
  const request = (kpis: string[], shape: QueryShape): KpiRequest => ({ ...walk.report, kpis, shape });
  switch (field.name.value) {
    case 'totals': {
      const kpis = kpisUnder([]);
      if (kpis.length === 0) return [];
      const current = request(kpis, { type: 'totals' });
      const compare = args.compare as Comparison | undefined;
      return compare ? [current, { ...current, range: priorRange(current.range, compare) }] : [current];
    }
    case 'series':
      return [request(kpisUnder(['kpis']), { type: 'series', grain: args.grain as 'HOUR' })];
    case 'breakdown': {
      const kpis = kpisUnder(['kpis']);
      const shape: QueryShape = {
        type: 'breakdown',
        by: String(args.by),
        top: Number(args.top),
        orderBy: String(args.orderBy),
        direction: args.direction === 'ASC' ? 'ASC' : 'DESC',
      };
      const wantsShare = kpis.some((kpi) => kpiNames(walk, field, ['kpis', kpi]).includes('share'));
      return [request(kpis, shape), ...(wantsShare ? [request(kpis, { type: 'totals' })] : [])];
    }
    case 'registryCheck':
      return [request([REGISTRY_KPI], { type: 'totals' })];
    case 'activityPattern':
      return [request(ACTIVITY_KPIS, { type: 'hourOfDay' })];
    default:
      return [];
  }
}

/** Field names selected at `path` below `field`; at the KPI level, only the kind's KPIs. */
function kpiNames(walk: Walk, field: FieldNode, path: readonly string[]): string[] {
  let fields = [field];
  for (const name of path)
    fields = fields.flatMap((f) =>
      f.selectionSet ? walk.flatten(f.selectionSet).filter((child) => child.name.value === name) : [],
    );
  const names = new Set<string>();
  for (const f of fields)
    if (f.selectionSet) for (const child of walk.flatten(f.selectionSet)) names.add(child.name.value);
  const kpis = kpiKind(walk.report.kind).kpis;
  return path.length === 2 ? [...names] : [...names].filter((name) => kpis.has(name));
}

function argumentsOf(
  definition: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
): Record<string, unknown> | null {
  try {
    return getArgumentValues(definition, node, variables);
  } catch {
    return null;
  }
}
