import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Names of the fields selected below the current field, following `path` (e.g. ['kpis']) and
 * looking through fragments. Lets a resolver compute only the KPIs the operation asked for.
 */
export function selectedFieldNames(
  info: GraphQLResolveInfo,
  path: readonly string[] = [],
): ReadonlySet<string> {
  // A field node belongs to one parsed document (Apollo keeps parsed documents), and with it its
  // fragments: the answer for a node and a path never changes, so it is worked out once.
  const node = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  if (!node) return collectNames(info, path);
  let byPath = memo.get(node);
  if (!byPath) memo.set(node, (byPath = new Map()));
  const key = path.join('\u0000');
  let names = byPath.get(key);
  if (!names) byPath.set(key, (names = collectNames(info, path)));
  return names;
}

const memo = new WeakMap<FieldNode, Map<string, ReadonlySet<string>>>();

function collectNames(info: GraphQLResolveInfo, path: readonly string[]): ReadonlySet<string> {
  let sets: SelectionSetNode[] = info.fieldNodes.flatMap((node) =>
    node.selectionSet ? [node.selectionSet] : [],
  );
  for (const name of path)
    sets = sets.flatMap((set) =>
      fieldsOf(set, info.fragments)
        .filter((f) => f.name.value === name && f.selectionSet)
        .map((f) => f.selectionSet!),
    );
  return new Set(sets.flatMap((set) => fieldsOf(set, info.fragments).map((f) => f.name.value)));
}

function fieldsOf(
  set: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  depth = 0,
): FieldNode[] {
  if (depth > 20) return [];
  return set.selections.flatMap((selection) => {
    if (selection.kind === 'Field') return [selection];
    if (selection.kind === 'InlineFragment') return fieldsOf(selection.selectionSet, fragments, depth + 1);
    const fragment = fragments[selection.name.value];
    return fragment ? fieldsOf(fragment.selectionSet, fragments, depth + 1) : [];
  });
}
