/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query DatasetList($kind: DatasetKind) {\n  datasets(kind: $kind) {\n    name\n    kind\n    rows\n    loadedUploads\n    columns\n    dataVersion\n    createdAt\n    lastIngestAt\n  }\n}": typeof types.DatasetListDocument,
    "fragment KpiValueFields on KpiValue {\n  value\n  unavailable {\n    reason\n    coverage\n    missingColumns\n    message\n  }\n}": typeof types.KpiValueFieldsFragmentDoc,
    "query SalesKpiCards($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $filter: SalesFilterInput) {\n  sales(dataset: $dataset, range: {from: $from, to: $to}, filter: $filter) {\n    dataset\n    range {\n      from\n      to\n    }\n    totals {\n      netSales {\n        ...KpiValueFields\n      }\n      totalRevenue {\n        ...KpiValueFields\n      }\n      grossMargin {\n        ...KpiValueFields\n      }\n      returnRate {\n        ...KpiValueFields\n      }\n      transactions {\n        ...KpiValueFields\n      }\n      uniqueCustomers {\n        ...KpiValueFields\n      }\n    }\n  }\n}": typeof types.SalesKpiCardsDocument,
    "query SalesMonthlyChart($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $timeZone: String!, $filter: SalesFilterInput) {\n  sales(\n    dataset: $dataset\n    range: {from: $from, to: $to}\n    timeZone: $timeZone\n    filter: $filter\n  ) {\n    timeZone\n    series(grain: MONTH) {\n      start\n      end\n      kpis {\n        netSales {\n          ...KpiValueFields\n        }\n        grossProfit {\n          ...KpiValueFields\n        }\n      }\n    }\n  }\n}": typeof types.SalesMonthlyChartDocument,
    "query SalesTopNTable($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $by: SalesDimension!, $top: Int!, $orderBy: SalesKpiId!, $direction: SortDirection!) {\n  sales(dataset: $dataset, range: {from: $from, to: $to}) {\n    breakdown(by: $by, top: $top, orderBy: $orderBy, direction: $direction) {\n      rank\n      key\n      kpis {\n        netSales {\n          ...KpiValueFields\n        }\n        grossMargin {\n          ...KpiValueFields\n        }\n        unitsSold {\n          ...KpiValueFields\n        }\n        returnRate {\n          ...KpiValueFields\n        }\n      }\n    }\n  }\n}": typeof types.SalesTopNTableDocument,
    "query UploadLedgerPage($dataset: ID, $status: UploadStatus, $first: Int!, $after: String) {\n  uploads(dataset: $dataset, status: $status, first: $first, after: $after) {\n    nodes {\n      id\n      dataset\n      kind\n      status\n      rowsLoaded\n      rowsRejected\n      bytes\n      createdAt\n      finishedAt\n      ignoredColumns\n      error {\n        code\n        message\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.UploadLedgerPageDocument,
};
const documents: Documents = {
    "query DatasetList($kind: DatasetKind) {\n  datasets(kind: $kind) {\n    name\n    kind\n    rows\n    loadedUploads\n    columns\n    dataVersion\n    createdAt\n    lastIngestAt\n  }\n}": types.DatasetListDocument,
    "fragment KpiValueFields on KpiValue {\n  value\n  unavailable {\n    reason\n    coverage\n    missingColumns\n    message\n  }\n}": types.KpiValueFieldsFragmentDoc,
    "query SalesKpiCards($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $filter: SalesFilterInput) {\n  sales(dataset: $dataset, range: {from: $from, to: $to}, filter: $filter) {\n    dataset\n    range {\n      from\n      to\n    }\n    totals {\n      netSales {\n        ...KpiValueFields\n      }\n      totalRevenue {\n        ...KpiValueFields\n      }\n      grossMargin {\n        ...KpiValueFields\n      }\n      returnRate {\n        ...KpiValueFields\n      }\n      transactions {\n        ...KpiValueFields\n      }\n      uniqueCustomers {\n        ...KpiValueFields\n      }\n    }\n  }\n}": types.SalesKpiCardsDocument,
    "query SalesMonthlyChart($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $timeZone: String!, $filter: SalesFilterInput) {\n  sales(\n    dataset: $dataset\n    range: {from: $from, to: $to}\n    timeZone: $timeZone\n    filter: $filter\n  ) {\n    timeZone\n    series(grain: MONTH) {\n      start\n      end\n      kpis {\n        netSales {\n          ...KpiValueFields\n        }\n        grossProfit {\n          ...KpiValueFields\n        }\n      }\n    }\n  }\n}": types.SalesMonthlyChartDocument,
    "query SalesTopNTable($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $by: SalesDimension!, $top: Int!, $orderBy: SalesKpiId!, $direction: SortDirection!) {\n  sales(dataset: $dataset, range: {from: $from, to: $to}) {\n    breakdown(by: $by, top: $top, orderBy: $orderBy, direction: $direction) {\n      rank\n      key\n      kpis {\n        netSales {\n          ...KpiValueFields\n        }\n        grossMargin {\n          ...KpiValueFields\n        }\n        unitsSold {\n          ...KpiValueFields\n        }\n        returnRate {\n          ...KpiValueFields\n        }\n      }\n    }\n  }\n}": types.SalesTopNTableDocument,
    "query UploadLedgerPage($dataset: ID, $status: UploadStatus, $first: Int!, $after: String) {\n  uploads(dataset: $dataset, status: $status, first: $first, after: $after) {\n    nodes {\n      id\n      dataset\n      kind\n      status\n      rowsLoaded\n      rowsRejected\n      bytes\n      createdAt\n      finishedAt\n      ignoredColumns\n      error {\n        code\n        message\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.UploadLedgerPageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DatasetList($kind: DatasetKind) {\n  datasets(kind: $kind) {\n    name\n    kind\n    rows\n    loadedUploads\n    columns\n    dataVersion\n    createdAt\n    lastIngestAt\n  }\n}"): (typeof documents)["query DatasetList($kind: DatasetKind) {\n  datasets(kind: $kind) {\n    name\n    kind\n    rows\n    loadedUploads\n    columns\n    dataVersion\n    createdAt\n    lastIngestAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment KpiValueFields on KpiValue {\n  value\n  unavailable {\n    reason\n    coverage\n    missingColumns\n    message\n  }\n}"): (typeof documents)["fragment KpiValueFields on KpiValue {\n  value\n  unavailable {\n    reason\n    coverage\n    missingColumns\n    message\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SalesKpiCards($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $filter: SalesFilterInput) {\n  sales(dataset: $dataset, range: {from: $from, to: $to}, filter: $filter) {\n    dataset\n    range {\n      from\n      to\n    }\n    totals {\n      netSales {\n        ...KpiValueFields\n      }\n      totalRevenue {\n        ...KpiValueFields\n      }\n      grossMargin {\n        ...KpiValueFields\n      }\n      returnRate {\n        ...KpiValueFields\n      }\n      transactions {\n        ...KpiValueFields\n      }\n      uniqueCustomers {\n        ...KpiValueFields\n      }\n    }\n  }\n}"): (typeof documents)["query SalesKpiCards($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $filter: SalesFilterInput) {\n  sales(dataset: $dataset, range: {from: $from, to: $to}, filter: $filter) {\n    dataset\n    range {\n      from\n      to\n    }\n    totals {\n      netSales {\n        ...KpiValueFields\n      }\n      totalRevenue {\n        ...KpiValueFields\n      }\n      grossMargin {\n        ...KpiValueFields\n      }\n      returnRate {\n        ...KpiValueFields\n      }\n      transactions {\n        ...KpiValueFields\n      }\n      uniqueCustomers {\n        ...KpiValueFields\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SalesMonthlyChart($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $timeZone: String!, $filter: SalesFilterInput) {\n  sales(\n    dataset: $dataset\n    range: {from: $from, to: $to}\n    timeZone: $timeZone\n    filter: $filter\n  ) {\n    timeZone\n    series(grain: MONTH) {\n      start\n      end\n      kpis {\n        netSales {\n          ...KpiValueFields\n        }\n        grossProfit {\n          ...KpiValueFields\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query SalesMonthlyChart($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $timeZone: String!, $filter: SalesFilterInput) {\n  sales(\n    dataset: $dataset\n    range: {from: $from, to: $to}\n    timeZone: $timeZone\n    filter: $filter\n  ) {\n    timeZone\n    series(grain: MONTH) {\n      start\n      end\n      kpis {\n        netSales {\n          ...KpiValueFields\n        }\n        grossProfit {\n          ...KpiValueFields\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SalesTopNTable($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $by: SalesDimension!, $top: Int!, $orderBy: SalesKpiId!, $direction: SortDirection!) {\n  sales(dataset: $dataset, range: {from: $from, to: $to}) {\n    breakdown(by: $by, top: $top, orderBy: $orderBy, direction: $direction) {\n      rank\n      key\n      kpis {\n        netSales {\n          ...KpiValueFields\n        }\n        grossMargin {\n          ...KpiValueFields\n        }\n        unitsSold {\n          ...KpiValueFields\n        }\n        returnRate {\n          ...KpiValueFields\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query SalesTopNTable($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $by: SalesDimension!, $top: Int!, $orderBy: SalesKpiId!, $direction: SortDirection!) {\n  sales(dataset: $dataset, range: {from: $from, to: $to}) {\n    breakdown(by: $by, top: $top, orderBy: $orderBy, direction: $direction) {\n      rank\n      key\n      kpis {\n        netSales {\n          ...KpiValueFields\n        }\n        grossMargin {\n          ...KpiValueFields\n        }\n        unitsSold {\n          ...KpiValueFields\n        }\n        returnRate {\n          ...KpiValueFields\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UploadLedgerPage($dataset: ID, $status: UploadStatus, $first: Int!, $after: String) {\n  uploads(dataset: $dataset, status: $status, first: $first, after: $after) {\n    nodes {\n      id\n      dataset\n      kind\n      status\n      rowsLoaded\n      rowsRejected\n      bytes\n      createdAt\n      finishedAt\n      ignoredColumns\n      error {\n        code\n        message\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query UploadLedgerPage($dataset: ID, $status: UploadStatus, $first: Int!, $after: String) {\n  uploads(dataset: $dataset, status: $status, first: $first, after: $after) {\n    nodes {\n      id\n      dataset\n      kind\n      status\n      rowsLoaded\n      rowsRejected\n      bytes\n      createdAt\n      finishedAt\n      ignoredColumns\n      error {\n        code\n        message\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;