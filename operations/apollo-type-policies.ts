import type { TypePolicies } from '@apollo/client';

/**
 * How Apollo Client's InMemoryCache should store this gateway's answers. Report objects (a sales
 * or turnout report, its KPIs, each KpiValue) have no identity of their own: they are what one
 * field with its arguments answered. Kept inside that field (`keyFields: false`) and merged when
 * two operations ask the same field with different selections (`merge: true`), KPI cards survive
 * a chart or table query over the same range instead of being replaced ("Cache data may be lost").
 * `KpiDefinition.id` names a KPI, not one dataset's support of it, so it is not normalised either.
 * Uploads keep their default identity (`Upload:<id>`). A unit test checks this list against
 * schema.graphql.
 */
const embedded = { keyFields: false, merge: true } as const;

export const kpiTypePolicies: TypePolicies = {
  DataChange: embedded,
  Dataset: embedded,
  KpiComparison: embedded,
  KpiDefinition: embedded,
  KpiSupport: embedded,
  KpiUnavailable: embedded,
  KpiValue: embedded,
  PageInfo: embedded,
  RowError: embedded,
  SalesBucket: embedded,
  SalesGroup: embedded,
  SalesKpis: embedded,
  SalesReport: embedded,
  TimeRange: embedded,
  TurnoutActivityHour: embedded,
  TurnoutBucket: embedded,
  TurnoutGroup: embedded,
  TurnoutKpis: embedded,
  TurnoutRegistryCheck: embedded,
  TurnoutReport: embedded,
  UploadConnection: embedded,
  UploadError: embedded,
  UploadSlot: embedded,
};
