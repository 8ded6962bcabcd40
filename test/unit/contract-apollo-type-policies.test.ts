import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, isObjectType } from 'graphql';
import { kpiTypePolicies } from '../../operations/apollo-type-policies';

const ROOT = path.resolve(__dirname, '../..');

describe("Apollo Client's type policies (operations/apollo-type-policies.ts)", () => {
  test('every object type without an id of its own is kept per field and merged; nothing else is listed', () => {
    const schema = buildSchema(fs.readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'));
    const roots = new Set(['Query', 'Mutation', 'Subscription']);
    const withoutIdentity = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter((type) => !type.name.startsWith('__') && !roots.has(type.name))
      // KpiDefinition's id names a KPI; its `support` depends on the dataset asked about.
      .filter((type) => !('id' in type.getFields()) || type.name === 'KpiDefinition')
      .map((type) => type.name)
      .sort();
    expect(Object.keys(kpiTypePolicies).sort()).toEqual(withoutIdentity);
    for (const policy of Object.values(kpiTypePolicies))
      expect(policy).toEqual({ keyFields: false, merge: true });
  });
});
