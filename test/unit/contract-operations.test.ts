import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, getVariableValues, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { runValidateOperations } from '../../src/cli/validate-operations';
import {
  collectDocumentFiles,
  validateDocumentFiles,
  validateDocuments,
} from '../../src/contract/operation-documents';

const ROOT = path.resolve(__dirname, '../..');
const SCHEMA = path.join(ROOT, 'schema.graphql');
const OPERATIONS = path.join(ROOT, 'operations');
const INVALID = path.join(ROOT, 'test/fixtures/operations/invalid');

function run(args: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runValidateOperations(
    args,
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out, err };
}

describe('operations/ (the dashboard operations client teams start from)', () => {
  test('every document is valid against schema.graphql, fragments resolved across files', () => {
    const { files, problems } = validateDocumentFiles(SCHEMA, [OPERATIONS]);
    expect(files.map((f) => path.basename(f))).toEqual(
      expect.arrayContaining([
        'sales-kpi-cards.graphql',
        'sales-monthly-chart.graphql',
        'sales-top-n-table.graphql',
        'dataset-list.graphql',
        'upload-ledger-page.graphql',
        'kpi-value.fragment.graphql',
      ]),
    );
    expect(problems).toEqual([]);
  });

  test('each operation has example variables (the playground tabs) that the schema accepts', () => {
    const schema = buildSchema(fs.readFileSync(SCHEMA, 'utf8'));
    const variables = JSON.parse(
      fs.readFileSync(path.join(OPERATIONS, 'example-variables.json'), 'utf8'),
    ) as Record<string, Record<string, unknown>>;
    const operations = collectDocumentFiles([OPERATIONS])
      .flatMap((file) => parse(fs.readFileSync(file, 'utf8')).definitions)
      .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations.map((op) => op.name!.value).sort()).toEqual(Object.keys(variables).sort());
    for (const op of operations) {
      const coerced = getVariableValues(
        schema,
        op.variableDefinitions ?? [],
        variables[op.name!.value] ?? {},
      );
      expect({ operation: op.name!.value, errors: coerced.errors?.map((e) => e.message) }).toEqual({
        operation: op.name!.value,
        errors: undefined,
      });
    }
  });
});

describe('validateDocuments', () => {
  const schema = buildSchema(fs.readFileSync(SCHEMA, 'utf8'));

  test('reports an unknown field and an anonymous operation with file, line and column', () => {
    const problems = validateDocuments(schema, [
      { file: 'bad.graphql', text: '{ datasets { name } }\nquery Cards { sales { nope } }' },
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'bad.graphql',
          line: 1,
          column: 1,
          message: expect.stringContaining('needs a name'),
        }),
        expect.objectContaining({
          file: 'bad.graphql',
          line: 2,
          message: expect.stringContaining('Field "sales" argument "dataset"'),
        }),
      ]),
    );
  });

  test('a syntax error names its file; a duplicate operation name is reported in both files', () => {
    expect(validateDocuments(schema, [{ file: 'broken.graphql', text: 'query X {' }])).toEqual([
      expect.objectContaining({ file: 'broken.graphql', line: 1, column: 10 }),
    ]);
    const twice = validateDocuments(schema, [
      { file: 'a.graphql', text: 'query Same { datasets { name } }' },
      { file: 'b.graphql', text: '\n\nquery Same { datasets { kind } }' },
    ]);
    expect(twice.map((p) => [p.file, p.line])).toEqual([
      ['a.graphql', 1],
      ['b.graphql', 3],
    ]);
  });
});

describe('kpi-validate-operations (the bin client teams run in CI)', () => {
  test('exit 0 on valid documents', () => {
    const result = run(['--schema', SCHEMA, OPERATIONS]);
    expect(result).toMatchObject({ code: 0, err: [] });
    expect(result.out[0]).toMatch(/^16 document file\(s\) valid/);
  });

  test('exit 1 on an invalid document, naming the file and line', () => {
    const result = run(['--schema', SCHEMA, OPERATIONS, INVALID]);
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toMatch(
      /unknown-kpi\.graphql:5:7 {2}Cannot query field "profitability" on type "SalesKpis"/,
    );
  });

  test('exit 2 when there is nothing to check or the usage is wrong', () => {
    expect(run(['--schema', SCHEMA, path.join(ROOT, 'clickhouse')]).code).toBe(2);
    expect(run(['--schema']).code).toBe(2);
    expect(run(['--verbose']).code).toBe(2);
    expect(run(['--schema', path.join(ROOT, 'no-such-schema.graphql'), OPERATIONS]).code).toBe(2);
  });
});
