import { registerEnumType } from 'type-graphql';
import { DATASET_KIND_NAMES } from '../../datasets/dataset-kinds';
import { UPLOAD_MODES, UPLOAD_STATUSES } from '../../datasets/upload';
import {
  SALES_DIMENSIONS,
  SALES_KPIS,
  type SalesDimension as Dimension,
} from '../../kpi/definitions/sales-kpis';
import { TURNOUT_KPIS } from '../../kpi/definitions/turnout-kpis';
import * as kpi from '../../kpi/kpi-types';

/**
 * The GraphQL enums. Each set of values is declared once beside its feature (a const array, its
 * union type derived from it); here each becomes the object `registerEnumType` takes, with the
 * descriptions clients read. GraphQL enum name → internal value: identifiers reach SQL only
 * through these maps.
 */
function enumOf<const T extends string>(values: readonly T[]): { readonly [K in T]: K } {
  return Object.fromEntries(values.map((value) => [value, value])) as { readonly [K in T]: K };
}

export const Grain = enumOf(kpi.GRAINS);
export type Grain = kpi.Grain;
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

/** `productLine` → `PRODUCT_LINE`: a column's name as a GraphQL enum value. */
const constantCase = (name: string): string => name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

export const SalesDimension = Object.fromEntries(SALES_DIMENSIONS.map((d) => [constantCase(d), d]));
export type SalesDimension = Dimension;
registerEnumType(SalesDimension, {
  name: 'SalesDimension',
  description: 'A column sales can be broken down by.',
  valuesConfig: Object.fromEntries(
    SALES_DIMENSIONS.map((d) => [constantCase(d), { description: `The ${d} column.` }]),
  ),
});

export const SalesKpiId: Readonly<Record<string, string>> = Object.fromEntries(
  SALES_KPIS.map((k) => [k.enumValue, k.id]),
);
registerEnumType(SalesKpiId, {
  name: 'SalesKpiId',
  description: 'Identifies one sales KPI (for ordering breakdowns and in the catalog).',
  valuesConfig: Object.fromEntries(SALES_KPIS.map((k) => [k.enumValue, { description: k.description }])),
});

export const SortDirection = enumOf(kpi.SORT_DIRECTIONS);
export type SortDirection = kpi.SortDirection;
registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Sort order. Groups whose ordering KPI is unavailable always come last.',
  valuesConfig: { ASC: { description: 'Smallest first.' }, DESC: { description: 'Largest first.' } },
});

export const UnavailableReason = enumOf(kpi.UNAVAILABLE_REASONS);
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

export const UploadStatus = enumOf(UPLOAD_STATUSES);
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

export const UploadMode = enumOf(UPLOAD_MODES);
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

/** Dataset kinds are lower-case names in code and upper-case enum values in GraphQL. */
export const DatasetKind = Object.fromEntries(DATASET_KIND_NAMES.map((kind) => [kind.toUpperCase(), kind]));
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

export const Comparison = enumOf(kpi.COMPARISONS);
export type Comparison = kpi.Comparison;
registerEnumType(Comparison, {
  name: 'Comparison',
  description: 'An earlier window to compare KPIs with.',
  valuesConfig: {
    PREVIOUS_PERIOD: { description: 'The window of equal length just before the range.' },
    PREVIOUS_YEAR: { description: 'The same window one year earlier.' },
  },
});

export const KpiUnit = enumOf(kpi.KPI_UNITS);
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
