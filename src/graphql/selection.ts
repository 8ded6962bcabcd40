import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Names of the fields selected below the current field, following `path` (e.g. ['kpis']) and
 * looking through fragments. Lets a resolver compute only the KPIs the operation asked for: a
 * field or fragment left out by `@include(if: false)` / `@skip(if: true)` is not asked for.
 */
export function selectedFieldNames(
  info: GraphQLResolveInfo,
  path: readonly string[] = [],
): ReadonlySet<string> {
  // A field node belongs to one parsed document (Apollo keeps parsed documents), and with it its
  // fragments; directives depend on the request's variables, one object per request: the answer
  // for a node, the variables and a path never changes, so it is worked out once.
  const node = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  if (!node) return collectNames(info, path);
  let byVariables = memo.get(node);
  if (!byVariables) memo.set(node, (byVariables = new WeakMap()));
  let byPath = byVariables.get(info.variableValues);
  if (!byPath) byVariables.set(info.variableValues, (byPath = new Map()));
  const key = path.join('\u0000');
  let names = byPath.get(key);
  if (!names) byPath.set(key, (names = collectNames(info, path)));
  return names;
}

const memo = new WeakMap<FieldNode, WeakMap<object, Map<string, ReadonlySet<string>>>>();

function collectNames(info: GraphQLResolveInfo, path: readonly string[]): ReadonlySet<string> {
  const flatten = fieldFlattener(info.fragments, info.variableValues);
  let fields: FieldNode[] = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node] : []));
  for (const name of path)
    fields = fields.flatMap((field) =>
      field.selectionSet
        ? flatten(field.selectionSet).filter((f) => f.name.value === name && f.selectionSet)
        : [],
    );
  const names = new Set<string>();
  for (const field of fields)
    if (field.selectionSet) for (const f of flatten(field.selectionSet)) names.add(f.name.value);
  return names;
}

/**
 * The fields a selection set selects directly, through any nesting of fragments and inline
 * fragments, each distinct field node once. Every selection set and fragment is flattened once
 * and remembered, so the work is linear in the document however often fragments spread each
 * other (a fan-out of fragments spreading fragments would otherwise visit every path); a
 * fragment spread inside itself (invalid, refused by validation) is cut rather than followed.
 * Given the request's variables, selections that `@include`/`@skip` leave out are left out;
 * without them (pricing an operation before it runs) every selection counts.
 */
export function fieldFlattener(
  fragments: Readonly<Record<string, FragmentDefinitionNode | undefined>>,
  variables?: Readonly<Record<string, unknown>>,
): (set: SelectionSetNode) => FieldNode[] {
  const bySet = new Map<SelectionSetNode, FieldNode[]>();
  const inProgress = new Set<SelectionSetNode>();
  const flatten = (set: SelectionSetNode): FieldNode[] => {
    const known = bySet.get(set);
    if (known) return known;
    if (inProgress.has(set)) return [];
    inProgress.add(set);
    const seen = new Set<FieldNode>();
    const add = (field: FieldNode) => seen.add(field);
    for (const selection of set.selections) {
      if (variables && !included(selection, variables)) continue;
      const nested = nestedSet(selection, fragments);
      if (nested) for (const field of flatten(nested)) add(field);
      else if (selection.kind === 'Field') add(selection);
    }
    inProgress.delete(set);
    const fields = [...seen];
    bySet.set(set, fields);
    return fields;
  };
  return flatten;
}

function nestedSet(
  selection: SelectionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode | undefined>>,
): SelectionSetNode | undefined {
  if (selection.kind === 'InlineFragment') return selection.selectionSet;
  if (selection.kind === 'FragmentSpread') return fragments[selection.name.value]?.selectionSet;
  return undefined;
}

/** graphql-js's own rule for `@skip` and `@include` (a variable in `if` is already coerced). */
function included(selection: SelectionNode, variables: Readonly<Record<string, unknown>>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, selection, variables)?.['if'] === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.['if'] !== false;
}
