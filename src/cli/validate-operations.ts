#!/usr/bin/env node
import path from 'node:path';
import { validateDocumentFiles } from '../contract/operation-documents';

/**
 * `kpi-validate-operations [--schema schema.graphql] [paths…]`: validates client operation
 * documents against the gateway's schema. Exit 0 when every document is valid, 1 when any is not,
 * 2 when it cannot run (no schema, no documents). Built as one dependency-free file for client CI.
 */
const USAGE =
  'usage: kpi-validate-operations [--schema <schema.graphql>] [<file or directory>…]   (defaults: ./schema.graphql, ./operations)';

export function runValidateOperations(
  argv: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  let schemaFile = 'schema.graphql';
  const paths: string[] = [];
  const rest = [...argv];
  for (let arg = rest.shift(); arg !== undefined; arg = rest.shift()) {
    if (arg === '--help' || arg === '-h') {
      out(USAGE);
      return 0;
    }
    if (arg === '--schema') {
      const value = rest.shift();
      if (!value) {
        err(`--schema needs a file\n${USAGE}`);
        return 2;
      }
      schemaFile = value;
    } else if (arg.startsWith('--')) {
      err(`unknown option ${arg}\n${USAGE}`);
      return 2;
    } else {
      paths.push(arg);
    }
  }
  try {
    const { files, problems } = validateDocumentFiles(schemaFile, paths.length > 0 ? paths : ['operations']);
    for (const p of problems)
      err(`${path.relative(process.cwd(), p.file) || p.file}:${p.line}:${p.column}  ${p.message}`);
    if (problems.length > 0) {
      err(`${problems.length} problem(s) in ${files.length} document file(s) against ${schemaFile}`);
      return 1;
    }
    out(`${files.length} document file(s) valid against ${schemaFile}`);
    return 0;
  } catch (error) {
    err(`kpi-validate-operations: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = runValidateOperations(
    process.argv.slice(2),
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  );
}
