import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../src/errors/app-error';
import { printGatewaySchema } from '../../src/graphql/schema';
import {
  checkCompatibility,
  formatReport,
  isCompatible,
  parseAcceptedChanges,
  type AcceptedChanges,
} from '../../src/contract/schema-compatibility';

const ROOT = path.resolve(__dirname, '../..');
const NONE: AcceptedChanges = { releasedVersion: '0.1.0', accepted: [] };

const RELEASED = `
  type Query { kpi(id: ID!): Kpi  kpis(first: Int): [Kpi!]! }
  type Kpi { id: ID!  value: Float  unit: Unit! }
  enum Unit { MONEY RATIO }
`;

describe('the contract against the last released schema', () => {
  test('the schema the code generates has no breaking change that contract/accepted-changes.json does not record', async () => {
    const accepted = parseAcceptedChanges(
      fs.readFileSync(path.join(ROOT, 'contract/accepted-changes.json'), 'utf8'),
    );
    const report = await checkCompatibility(
      fs.readFileSync(path.join(ROOT, 'contract/schema.released.graphql'), 'utf8'),
      printGatewaySchema(),
      accepted,
    );
    // Dangerous changes do not fail the check; they are listed for the reviewer.
    if (report.dangerous.length > 0) console.warn(formatReport(report));
    expect({ unacceptedBreaking: report.unacceptedBreaking, staleAccepted: report.staleAccepted }).toEqual({
      unacceptedBreaking: [],
      staleAccepted: [],
    });
  });
});

describe('checkCompatibility', () => {
  test('a removed field and a new required argument are breaking', async () => {
    const report = await checkCompatibility(
      RELEASED,
      RELEASED.replace('unit: Unit!', '').replace('kpis(first: Int)', 'kpis(first: Int, dataset: ID!)'),
      NONE,
    );
    expect(report.unacceptedBreaking.map((c) => [c.type, c.path])).toEqual(
      expect.arrayContaining([
        ['FIELD_REMOVED', 'Kpi.unit'],
        ['FIELD_ARGUMENT_ADDED', 'Query.kpis.dataset'],
      ]),
    );
    expect(isCompatible(report)).toBe(false);
    expect(formatReport(report)).toContain('BREAKING, not accepted (2)');
  });

  test('a breaking change recorded in accepted-changes passes, and is still listed', async () => {
    const accepted: AcceptedChanges = {
      releasedVersion: '0.1.0',
      accepted: [
        {
          type: 'FIELD_REMOVED',
          path: 'Kpi.unit',
          reason: 'no client selects it (checked in client repos)',
          approvedBy: 'api-review',
        },
      ],
    };
    const report = await checkCompatibility(RELEASED, RELEASED.replace('unit: Unit!', ''), accepted);
    expect(isCompatible(report)).toBe(true);
    expect(report.acceptedBreaking.map((c) => c.path)).toEqual(['Kpi.unit']);
  });

  test('an accepted entry that matches no change fails the check, so stale records cannot hide later changes', async () => {
    const accepted: AcceptedChanges = {
      releasedVersion: '0.1.0',
      accepted: [
        {
          type: 'FIELD_REMOVED',
          path: 'Kpi.value',
          reason: 'was planned, never happened',
          approvedBy: 'api-review',
        },
      ],
    };
    const report = await checkCompatibility(RELEASED, RELEASED, accepted);
    expect(report.staleAccepted).toHaveLength(1);
    expect(isCompatible(report)).toBe(false);
  });

  test('a new enum value is dangerous (listed, not failing); a new nullable field is safe', async () => {
    const report = await checkCompatibility(
      RELEASED,
      RELEASED.replace('MONEY RATIO', 'MONEY RATIO COUNT').replace(
        'value: Float',
        'value: Float  previous: Float',
      ),
      NONE,
    );
    expect(report.dangerous.map((c) => [c.type, c.path])).toEqual([['ENUM_VALUE_ADDED', 'Unit.COUNT']]);
    expect(report.safe.map((c) => [c.type, c.path])).toEqual([['FIELD_ADDED', 'Kpi.previous']]);
    expect(isCompatible(report)).toBe(true);
    expect(formatReport(report)).toMatch(/DANGEROUS .*\n {2}- \[ENUM_VALUE_ADDED\] Unit\.COUNT/);
  });
});

describe('parseAcceptedChanges', () => {
  test.each([
    ['not JSON', '{', /not valid JSON/],
    [
      'an entry without a reason',
      JSON.stringify({
        releasedVersion: '1',
        accepted: [{ type: 'FIELD_REMOVED', path: 'A.b', approvedBy: 'x' }],
      }),
      /accepted\.0\.reason/,
    ],
    [
      'an unknown key',
      JSON.stringify({ releasedVersion: '1', accepted: [], force: true }),
      /Unrecognized key/,
    ],
    [
      'a change type in the wrong form',
      JSON.stringify({
        releasedVersion: '1',
        accepted: [{ type: 'field removed', path: 'A.b', reason: 'long enough reason', approvedBy: 'x' }],
      }),
      /accepted\.0\.type/,
    ],
  ])('rejects %s with a typed error', (_what, json, message) => {
    expect(() => parseAcceptedChanges(json)).toThrow(AppError);
    expect(() => parseAcceptedChanges(json)).toThrow(message);
  });
});
