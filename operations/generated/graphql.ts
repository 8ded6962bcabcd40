/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What kind of rows a dataset holds. */
export type DatasetKind =
  /** Constituency registry: registered voters and region per election and constituency. */
  | 'CONSTITUENCIES'
  /** One row per sales transaction line. */
  | 'SALES'
  /** One row per polling-station transaction (bulletins issued, votes cast). */
  | 'TURNOUT';

/** A column sales can be broken down by. */
export type SalesDimension =
  /** The branch column. */
  | 'BRANCH'
  /** The itemGroup column. */
  | 'ITEM_GROUP'
  /** The productLine column. */
  | 'PRODUCT_LINE'
  /** The salesPerson column. */
  | 'SALES_PERSON';

/** Keeps only rows whose dimension value is one of those listed. Filters combine with AND. */
export type SalesFilterInput = {
  /** Branches to keep (at most 500). */
  branch?: Array<string> | null | undefined;
  /** Item groups to keep (at most 500). */
  itemGroup?: Array<string> | null | undefined;
  /** Product lines to keep (at most 500). */
  productLine?: Array<string> | null | undefined;
  /** Sales people to keep (at most 500). */
  salesPerson?: Array<string> | null | undefined;
};

/** Identifies one sales KPI (for ordering breakdowns and in the catalog). */
export type SalesKpiId =
  /** Gross revenue per sales line. */
  | 'AVERAGE_TRANSACTION'
  /** Gross profit as a fraction of gross revenue (0.3 = 30%). */
  | 'GROSS_MARGIN'
  /** Gross revenue minus cost. */
  | 'GROSS_PROFIT'
  /** Number of line items. */
  | 'LINE_ITEMS'
  /** Revenue after returns. */
  | 'NET_SALES'
  /** Units sold after returns. */
  | 'NET_UNITS_SOLD'
  /** Value of returns (negative: money given back). */
  | 'RETURNS_VALUE'
  /** Share of gross revenue given back as returns (0.05 = 5%). */
  | 'RETURN_RATE'
  /** Cost of the goods sold. */
  | 'TOTAL_COST'
  /** Gross revenue before returns. */
  | 'TOTAL_REVENUE'
  /** Number of sales lines. */
  | 'TRANSACTIONS'
  /** Exact number of distinct branches in the slice. */
  | 'UNIQUE_BRANCHES'
  /** Exact number of distinct customers in the slice. */
  | 'UNIQUE_CUSTOMERS'
  /** Exact number of distinct items (products) in the slice. */
  | 'UNIQUE_PRODUCTS'
  /** Exact number of distinct sales people in the slice. */
  | 'UNIQUE_SALESPEOPLE'
  /** Units returned (negative). */
  | 'UNITS_RETURNED'
  /** Units sold. */
  | 'UNITS_SOLD';

/** Sort order. Groups whose ordering KPI is unavailable always come last. */
export type SortDirection =
  /** Smallest first. */
  | 'ASC'
  /** Largest first. */
  | 'DESC';

/** Why a KPI has no value. */
export type UnavailableReason =
  /** No upload of the dataset had a column the KPI needs. */
  | 'MISSING_COLUMN'
  /** The constituency registry lacks constituencies that have rows in this slice (or no registry was given); `missingKeys` names them. */
  | 'MISSING_REGISTRY'
  /** The slice has no rows. */
  | 'NO_DATA'
  /** The comparison window has no rows. */
  | 'NO_PRIOR_PERIOD'
  /** Some rows of the slice lack a column the KPI needs; `coverage` says what fraction carries it. */
  | 'PARTIAL_COVERAGE'
  /** A ratio (or a percent change) whose denominator is zero in this slice. */
  | 'ZERO_DENOMINATOR';

/** Where an upload is in its life: PENDING → RECEIVED → LOADING → LOADED | REJECTED | FAILED | DUPLICATE; a LOADED upload may later become REPLACED. */
export type UploadStatus =
  /** The same content (SHA-256) is already loaded in this dataset, by the upload in duplicateOf; nothing was loaded again. */
  | 'DUPLICATE'
  /** The load failed for a reason other than the file; nothing of it is visible. retryUpload loads it again. */
  | 'FAILED'
  /** Every valid row is loaded and visible to queries. */
  | 'LOADED'
  /** ClickHouse is loading the file; its rows are not visible yet. */
  | 'LOADING'
  /** A presigned upload URL was handed out; the file has not been started yet (call startUpload after the PUT). */
  | 'PENDING'
  /** The file is stored; loading has not started (an upload to be loaded again after a restart). An upload whose load starts as soon as its file is stored goes straight to LOADING. */
  | 'RECEIVED'
  /** The file was refused (bad header, bad rows past maxBadRows, empty); nothing of it is visible. */
  | 'REJECTED'
  /** A later upload in REPLACE mode (replacedBy) corrected this one; its rows were removed. */
  | 'REPLACED';

export type DatasetListQueryVariables = Exact<{
  kind?: DatasetKind | null | undefined;
}>;


export type DatasetListQuery = { datasets: Array<{ name: string, kind: DatasetKind, rows: number, loadedUploads: number, columns: Array<string>, dataVersion: number, createdAt: string, lastIngestAt: string | null }> };

export type KpiValueFieldsFragment = { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null };

export type SalesKpiCardsQueryVariables = Exact<{
  dataset: string | number;
  from: string;
  to: string;
  filter?: SalesFilterInput | null | undefined;
}>;


export type SalesKpiCardsQuery = { sales: { dataset: string, range: { from: string, to: string }, totals: { netSales: { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null }, totalRevenue: { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null }, grossMargin: { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null }, returnRate: { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null }, transactions: { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null }, uniqueCustomers: { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null } } } };

export type SalesMonthlyChartQueryVariables = Exact<{
  dataset: string | number;
  from: string;
  to: string;
  timeZone: string;
  filter?: SalesFilterInput | null | undefined;
}>;


export type SalesMonthlyChartQuery = { sales: { timeZone: string, series: Array<{ start: string, end: string, kpis: { netSales: { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null }, grossProfit: { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null } } }> } };

export type SalesTopNTableQueryVariables = Exact<{
  dataset: string | number;
  from: string;
  to: string;
  by: SalesDimension;
  top: number;
  orderBy: SalesKpiId;
  direction: SortDirection;
}>;


export type SalesTopNTableQuery = { sales: { breakdown: Array<{ rank: number, key: string | null, kpis: { netSales: { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null }, grossMargin: { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null }, unitsSold: { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null }, returnRate: { value: number | null, unavailable: { reason: UnavailableReason, coverage: number | null, missingColumns: Array<string>, message: string } | null } } }> } };

export type UploadLedgerPageQueryVariables = Exact<{
  dataset?: string | number | null | undefined;
  status?: UploadStatus | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type UploadLedgerPageQuery = { uploads: { nodes: Array<{ id: string, dataset: string, kind: DatasetKind, status: UploadStatus, rowsLoaded: number, rowsRejected: number, bytes: number, createdAt: string, finishedAt: string | null, ignoredColumns: Array<string>, error: { code: string, message: string } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export const KpiValueFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"KpiValueFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KpiValue"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"unavailable"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"coverage"}},{"kind":"Field","name":{"kind":"Name","value":"missingColumns"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<KpiValueFieldsFragment, unknown>;
export const DatasetListDocument = {"__meta__":{"hash":"sha256:af2d474c5d5454c3cc96c03ef000a7d561ddb7bb41ca85c5a561f79f9b733700"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DatasetList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"kind"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DatasetKind"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"datasets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"Variable","name":{"kind":"Name","value":"kind"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"rows"}},{"kind":"Field","name":{"kind":"Name","value":"loadedUploads"}},{"kind":"Field","name":{"kind":"Name","value":"columns"}},{"kind":"Field","name":{"kind":"Name","value":"dataVersion"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastIngestAt"}}]}}]}}]} as unknown as DocumentNode<DatasetListQuery, DatasetListQueryVariables>;
export const SalesKpiCardsDocument = {"__meta__":{"hash":"sha256:f4dafca1a04ec4c50f0de62ccdfe89ca7926cc56ebc40acdbb11bbbacb7939cb"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SalesKpiCards"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dataset"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTimeISO"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTimeISO"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SalesFilterInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sales"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"dataset"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dataset"}}},{"kind":"Argument","name":{"kind":"Name","value":"range"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dataset"}},{"kind":"Field","name":{"kind":"Name","value":"range"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"netSales"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiValueFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totalRevenue"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiValueFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"grossMargin"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiValueFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"returnRate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiValueFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"transactions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiValueFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"uniqueCustomers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiValueFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"KpiValueFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KpiValue"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"unavailable"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"coverage"}},{"kind":"Field","name":{"kind":"Name","value":"missingColumns"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<SalesKpiCardsQuery, SalesKpiCardsQueryVariables>;
export const SalesMonthlyChartDocument = {"__meta__":{"hash":"sha256:3bcb044244de2cb9817438112e73a24955240678ec09f80d7ab82a4856423bf9"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SalesMonthlyChart"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dataset"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTimeISO"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTimeISO"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"timeZone"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SalesFilterInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sales"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"dataset"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dataset"}}},{"kind":"Argument","name":{"kind":"Name","value":"range"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"timeZone"},"value":{"kind":"Variable","name":{"kind":"Name","value":"timeZone"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"series"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"grain"},"value":{"kind":"EnumValue","value":"MONTH"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"kpis"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"netSales"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiValueFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"grossProfit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiValueFields"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"KpiValueFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KpiValue"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"unavailable"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"coverage"}},{"kind":"Field","name":{"kind":"Name","value":"missingColumns"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<SalesMonthlyChartQuery, SalesMonthlyChartQueryVariables>;
export const SalesTopNTableDocument = {"__meta__":{"hash":"sha256:226280b6f1ac29be6d02fa2f9f8d52bc1986aa62df5102ec534dd1b9d966880b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SalesTopNTable"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dataset"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTimeISO"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTimeISO"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"by"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SalesDimension"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"top"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SalesKpiId"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"direction"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SortDirection"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sales"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"dataset"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dataset"}}},{"kind":"Argument","name":{"kind":"Name","value":"range"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"breakdown"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"by"},"value":{"kind":"Variable","name":{"kind":"Name","value":"by"}}},{"kind":"Argument","name":{"kind":"Name","value":"top"},"value":{"kind":"Variable","name":{"kind":"Name","value":"top"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"direction"},"value":{"kind":"Variable","name":{"kind":"Name","value":"direction"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"kpis"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"netSales"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiValueFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"grossMargin"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiValueFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unitsSold"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiValueFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"returnRate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"KpiValueFields"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"KpiValueFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"KpiValue"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"unavailable"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"coverage"}},{"kind":"Field","name":{"kind":"Name","value":"missingColumns"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]} as unknown as DocumentNode<SalesTopNTableQuery, SalesTopNTableQueryVariables>;
export const UploadLedgerPageDocument = {"__meta__":{"hash":"sha256:1a39100ca6f6235f7f5dd5811b87916c80aa14e9b80790c04dfb4de06220e3c1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UploadLedgerPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dataset"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UploadStatus"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uploads"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"dataset"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dataset"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"dataset"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rowsLoaded"}},{"kind":"Field","name":{"kind":"Name","value":"rowsRejected"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"ignoredColumns"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<UploadLedgerPageQuery, UploadLedgerPageQueryVariables>;