import { Kind, print, visit, type ASTNode, type DocumentNode } from 'graphql';

/**
 * One text per operation, whatever form a client sends it in. Clients do not send our registered
 * text byte for byte: Apollo Client and urql add `__typename` to every selection set for their
 * caches, print with their own printer, and keep the field order of the document they were given,
 * while codegen's manifest is normalised (fields sorted, one line). Documents that differ only in
 * those ways ask for the same data, so they share one canonical form: plain `__typename`
 * selections dropped, and selections, arguments, variables, object fields and definitions sorted.
 * Anything else (another field, argument value, alias or directive) gives another form.
 */
export function canonicalForm(document: DocumentNode): string {
  const canonical = visit(document, {
    Field: {
      enter(node) {
        const plainTypename =
          node.name.value === '__typename' &&
          !node.alias &&
          (node.arguments?.length ?? 0) === 0 &&
          (node.directives?.length ?? 0) === 0;
        return plainTypename ? null : undefined;
      },
      leave: (node) => ({ ...node, arguments: node.arguments && sortedByName(node.arguments) }),
    },
    Directive: { leave: (node) => ({ ...node, arguments: node.arguments && sortedByName(node.arguments) }) },
    ObjectValue: { leave: (node) => ({ ...node, fields: sortedByName(node.fields) }) },
    SelectionSet: { leave: (node) => ({ ...node, selections: sortedByPrint(node.selections) }) },
    OperationDefinition: {
      leave: (node) => ({
        ...node,
        variableDefinitions:
          node.variableDefinitions &&
          [...node.variableDefinitions].sort((a, b) => compare(a.variable.name.value, b.variable.name.value)),
      }),
    },
    Document: {
      leave: (node) => ({
        ...node,
        definitions: [...node.definitions].sort((a, b) => compare(definitionKey(a), definitionKey(b))),
      }),
    },
  });
  return print(canonical);
}

function sortedByName<T extends { readonly name: { readonly value: string } }>(nodes: readonly T[]): T[] {
  return [...nodes].sort((a, b) => compare(a.name.value, b.name.value));
}

function sortedByPrint<T extends ASTNode>(nodes: readonly T[]): T[] {
  return nodes
    .map((node) => ({ node, text: print(node) }))
    .sort((a, b) => compare(a.text, b.text))
    .map((entry) => entry.node);
}

function definitionKey(node: ASTNode): string {
  const name = 'name' in node && node.name && 'value' in node.name ? node.name.value : '';
  return `${node.kind === Kind.OPERATION_DEFINITION ? 0 : 1}:${name}:${print(node)}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
