import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Names of the fields selected below the current field, following `path` (e.g. ['kpis']) and
 * looking through fragments. Lets a resolver compute only the KPIs the operation asked for.
 */
export function selectedFieldNames(info: GraphQLResolveInfo, path: readonly string[] = []): Set<string> {
  let sets: SelectionSetNode[] = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const name of path) sets = sets.flatMap((set) => fieldsOf(set, info.fragments).filter((f) => f.name.value === name && f.selectionSet).map((f) => f.selectionSet!));
  return new Set(sets.flatMap((set) => fieldsOf(set, info.fragments).map((f) => f.name.value)));
}

function fieldsOf(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, depth = 0): FieldNode[] {
  if (depth > 20) return [];
  return set.selections.flatMap((selection) => {
    if (selection.kind === 'Field') return [selection];
    if (selection.kind === 'InlineFragment') return fieldsOf(selection.selectionSet, fragments, depth + 1);
    const fragment = fragments[selection.name.value];
    return fragment ? fieldsOf(fragment.selectionSet, fragments, depth + 1) : [];
  });
}
