import { registerEnumType } from 'type-graphql';
import { SALES_KPIS } from '../../kpi/sales-kpis';
import { TURNOUT_KPIS } from '../../kpi/turnout-kpis';

/** GraphQL enum name → internal value. Identifiers reach SQL only through these maps. */
export const Grain = { HOUR: 'HOUR', DAY: 'DAY', WEEK: 'WEEK', MONTH: 'MONTH' } as const;
export type Grain = (typeof Grain)[keyof typeof Grain];
registerEnumType(Grain, {
  name: 'Grain',
  description: 'Width of a time-series bucket, in the requested time zone.',
  valuesConfig: {
    HOUR: { description: 'One bucket per local hour.' },
    DAY: { description: 'One bucket per local calendar day.' },
    WEEK: { description: 'One bucket per ISO week (starting Monday, local time).' },
    MONTH: { description: 'One bucket per local calendar month.' },
  },
});

export const SalesDimension = {
  BRANCH: 'branch',
  PRODUCT_LINE: 'productLine',
  ITEM_GROUP: 'itemGroup',
  SALES_PERSON: 'salesPerson',
} as const;
export type SalesDimension = (typeof SalesDimension)[keyof typeof SalesDimension];
registerEnumType(SalesDimension, {
  name: 'SalesDimension',
  description: 'A column sales can be broken down by.',
  valuesConfig: {
    BRANCH: { description: 'The branch column.' },
    PRODUCT_LINE: { description: 'The productLine column.' },
    ITEM_GROUP: { description: 'The itemGroup column.' },
    SALES_PERSON: { description: 'The salesPerson column.' },
  },
});

export const SalesKpiId: Readonly<Record<string, string>> = Object.fromEntries(
  SALES_KPIS.map((k) => [k.enumValue, k.id]),
);
registerEnumType(SalesKpiId, {
  name: 'SalesKpiId',
  description: 'Identifies one sales KPI (for ordering breakdowns and in the catalog).',
  valuesConfig: Object.fromEntries(SALES_KPIS.map((k) => [k.enumValue, { description: k.description }])),
});

export const SortDirection = { ASC: 'ASC', DESC: 'DESC' } as const;
export type SortDirection = (typeof SortDirection)[keyof typeof SortDirection];
registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Sort order. Groups whose ordering KPI is unavailable always come last.',
  valuesConfig: { ASC: { description: 'Smallest first.' }, DESC: { description: 'Largest first.' } },
});

export const UnavailableReason = {
  MISSING_COLUMN: 'MISSING_COLUMN',
  PARTIAL_COVERAGE: 'PARTIAL_COVERAGE',
  NO_DATA: 'NO_DATA',
  NO_PRIOR_PERIOD: 'NO_PRIOR_PERIOD',
  ZERO_DENOMINATOR: 'ZERO_DENOMINATOR',
  MISSING_REGISTRY: 'MISSING_REGISTRY',
} as const;
registerEnumType(UnavailableReason, {
  name: 'UnavailableReason',
  description: 'Why a KPI has no value.',
  valuesConfig: {
    MISSING_COLUMN: { description: 'No upload of the dataset had a column the KPI needs.' },
    PARTIAL_COVERAGE: {
      description:
        'Some rows of the slice lack a column the KPI needs; `coverage` says what fraction carries it.',
    },
    NO_DATA: { description: 'The slice has no rows.' },
    NO_PRIOR_PERIOD: { description: 'The comparison window has no rows.' },
    ZERO_DENOMINATOR: {
      description: 'A ratio (or a percent change) whose denominator is zero in this slice.',
    },
    MISSING_REGISTRY: {
      description:
        'The constituency registry lacks constituencies that have rows in this slice (or no registry was given); `missingKeys` names them.',
    },
  },
});

export const UploadStatus = {
  PENDING: 'PENDING',
  RECEIVED: 'RECEIVED',
  LOADING: 'LOADING',
  LOADED: 'LOADED',
  REJECTED: 'REJECTED',
  FAILED: 'FAILED',
  DUPLICATE: 'DUPLICATE',
  REPLACED: 'REPLACED',
} as const;
registerEnumType(UploadStatus, {
  name: 'UploadStatus',
  description:
    'Where an upload is in its life: PENDING → RECEIVED → LOADING → LOADED | REJECTED | FAILED | DUPLICATE; a LOADED upload may later become REPLACED.',
  valuesConfig: {
    PENDING: {
      description:
        'A presigned upload URL was handed out; the file has not been started yet (call startUpload after the PUT).',
    },
    RECEIVED: {
      description:
        'The file is stored; loading has not started (an upload to be loaded again after a restart). An upload whose load starts as soon as its file is stored goes straight to LOADING.',
    },
    LOADING: { description: 'ClickHouse is loading the file; its rows are not visible yet.' },
    LOADED: { description: 'Every valid row is loaded and visible to queries.' },
    REJECTED: {
      description:
        'The file was refused (bad header, bad rows past maxBadRows, empty); nothing of it is visible.',
    },
    FAILED: {
      description:
        'The load failed for a reason other than the file; nothing of it is visible. retryUpload loads it again.',
    },
    DUPLICATE: {
      description:
        'The same content (SHA-256) is already loaded in this dataset, by the upload in duplicateOf; nothing was loaded again.',
    },
    REPLACED: {
      description: 'A later upload in REPLACE mode (replacedBy) corrected this one; its rows were removed.',
    },
  },
});

export const UploadMode = { APPEND: 'APPEND', REPLACE: 'REPLACE' } as const;
registerEnumType(UploadMode, {
  name: 'UploadMode',
  description: 'What an upload does to the rows already in its dataset.',
  valuesConfig: {
    APPEND: {
      description: 'Adds its rows (the default). The same content twice is a DUPLICATE, never loaded twice.',
    },
    REPLACE: {
      description:
        'Corrects an earlier upload: once this one is LOADED, the rows of the upload it replaces are removed, atomically for readers.',
    },
  },
});

export const DatasetKind = { SALES: 'sales', TURNOUT: 'turnout', CONSTITUENCIES: 'constituencies' } as const;
registerEnumType(DatasetKind, {
  name: 'DatasetKind',
  description: 'What kind of rows a dataset holds.',
  valuesConfig: {
    SALES: { description: 'One row per sales transaction line.' },
    TURNOUT: { description: 'One row per polling-station transaction (bulletins issued, votes cast).' },
    CONSTITUENCIES: {
      description: 'Constituency registry: registered voters and region per election and constituency.',
    },
  },
});

export const Comparison = { PREVIOUS_PERIOD: 'PREVIOUS_PERIOD', PREVIOUS_YEAR: 'PREVIOUS_YEAR' } as const;
export type Comparison = (typeof Comparison)[keyof typeof Comparison];
registerEnumType(Comparison, {
  name: 'Comparison',
  description: 'An earlier window to compare KPIs with.',
  valuesConfig: {
    PREVIOUS_PERIOD: { description: 'The window of equal length just before the range.' },
    PREVIOUS_YEAR: { description: 'The same window one year earlier.' },
  },
});

export const KpiUnit = {
  MONEY: 'MONEY',
  COUNT: 'COUNT',
  QUANTITY: 'QUANTITY',
  RATIO: 'RATIO',
  MONEY_PER_TRANSACTION: 'MONEY_PER_TRANSACTION',
  PER_HOUR: 'PER_HOUR',
  PERCENT: 'PERCENT',
} as const;
registerEnumType(KpiUnit, {
  name: 'KpiUnit',
  description: 'What a KPI value measures.',
  valuesConfig: {
    MONEY: { description: 'An amount in the currency of the data, exact to the cent.' },
    COUNT: { description: 'A whole number of things.' },
    QUANTITY: { description: 'A number of units (may be fractional).' },
    RATIO: { description: 'A fraction: 0.25 means 25%.' },
    MONEY_PER_TRANSACTION: { description: 'An average amount per sales line.' },
    PER_HOUR: { description: 'A rate per hour of the window.' },
    PERCENT: { description: 'A percentage: 25 means 25% (may exceed 100 when the data does).' },
  },
});

export const TurnoutDimension = { CONSTITUENCY: 'constituencyId', REGION: 'region' } as const;
export type TurnoutDimension = (typeof TurnoutDimension)[keyof typeof TurnoutDimension];
registerEnumType(TurnoutDimension, {
  name: 'TurnoutDimension',
  description: 'What a turnout breakdown groups by.',
  valuesConfig: {
    CONSTITUENCY: { description: 'One group per constituency (the constituencyId column).' },
    REGION: {
      description:
        'One group per region, from the registry (constituencies missing from it form a group with a null key).',
    },
  },
});

export const TurnoutKpiId: Readonly<Record<string, string>> = Object.fromEntries(
  TURNOUT_KPIS.map((k) => [k.enumValue, k.id]),
);
registerEnumType(TurnoutKpiId, {
  name: 'TurnoutKpiId',
  description: 'Identifies one turnout KPI (for ordering breakdowns).',
  valuesConfig: Object.fromEntries(TURNOUT_KPIS.map((k) => [k.enumValue, { description: k.description }])),
});
