import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  concatAST,
  getLocation,
  GraphQLError,
  parse,
  Source,
  specifiedRules,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
} from 'graphql';

/**
 * Validation of client operation documents against `schema.graphql`, the check client teams run
 * in their CI. Depends only on `graphql`, so it bundles into one file with no other dependency.
 * All documents are validated together, as codegen sees them: a fragment may live in its own file.
 */
export interface OperationProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const DOCUMENT_FILE = /\.(graphql|gql)$/;

/** `.graphql`/`.gql` files under the given files and directories, sorted; node_modules is skipped. */
export function collectDocumentFiles(paths: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (entry: string) => {
    const stat = fs.statSync(entry);
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(entry))
        if (child !== 'node_modules' && !child.startsWith('.')) visit(path.join(entry, child));
    } else if (DOCUMENT_FILE.test(entry)) {
      found.add(entry);
    }
  };
  for (const entry of paths) visit(entry);
  return [...found].sort();
}

/** Persisted and allow-listed operations are identified by name, so every operation needs one. */
function NamedOperationsRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (!node.name)
        context.reportError(
          new GraphQLError(
            'Every operation needs a name (persisted operations and client codegen identify operations by name).',
            { nodes: node },
          ),
        );
    },
  };
}

export function validateDocuments(
  schema: GraphQLSchema,
  files: ReadonlyArray<{ readonly file: string; readonly text: string }>,
): OperationProblem[] {
  const problems: OperationProblem[] = [];
  const documents: DocumentNode[] = [];
  for (const { file, text } of files) {
    try {
      documents.push(parse(new Source(text, file)));
    } catch (error) {
      problems.push(...toProblems(error as GraphQLError, file));
    }
  }
  if (documents.length > 0) {
    for (const error of validate(schema, concatAST(documents), [...specifiedRules, NamedOperationsRule]))
      problems.push(...toProblems(error, '(documents)'));
  }
  return problems;
}

/** Reads the schema and documents from disk and validates them; throws when there is nothing to check. */
export function validateDocumentFiles(
  schemaFile: string,
  paths: readonly string[],
): { files: string[]; problems: OperationProblem[] } {
  const schema = buildSchema(fs.readFileSync(schemaFile, 'utf8'));
  const files = collectDocumentFiles(paths);
  if (files.length === 0) throw new Error(`no .graphql or .gql documents found in ${paths.join(', ')}`);
  return {
    files,
    problems: validateDocuments(
      schema,
      files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') })),
    ),
  };
}

function toProblems(error: GraphQLError, fallbackFile: string): OperationProblem[] {
  // graphql-js places every node of an error in the first node's source; a problem spanning files
  // (a duplicate operation name) is reported at each node in its own file instead.
  const located = (error.nodes ?? []).flatMap((node) => (node.loc ? [node.loc] : []));
  if (located.length > 0) {
    return located.map((loc) => ({
      file: loc.source.name,
      ...getLocation(loc.source, loc.start),
      message: error.message,
    }));
  }
  const at = error.locations?.[0] ?? { line: 0, column: 0 };
  return [
    { file: error.source?.name ?? fallbackFile, line: at.line, column: at.column, message: error.message },
  ];
}
