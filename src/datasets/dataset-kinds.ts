import { SALES_DIMENSIONS, SALES_ROLLUPS } from './sales-rollups';

/**
 * Dataset kinds are fixed in code. A kind is its raw table, its rollups and its columns; ingest
 * maps CSV headers onto these columns and the kind's KPIs name them as needs. Adding a kind = a
 * migration + an entry here + its kind definition (docs/adding-a-dataset-kind.md).
 */
export type ColumnType = 'time' | 'money' | 'quantity' | 'integer' | 'string';

export interface ColumnDef {
  /** Canonical name; also the column name in the raw table. */
  readonly name: string;
  readonly type: ColumnType;
  readonly required: boolean;
  /** Header spellings accepted besides the canonical name (matched case- and punctuation-insensitively). */
  readonly aliases: readonly string[];
  readonly description: string;
  /** Counts that cannot be negative (votes, voters): a minus sign is a bad cell, not data. */
  readonly nonNegative?: boolean;
}

/**
 * The name a query reports as its source (`extensions.kpi`): the all-dimension levels by their
 * grain, the others by their table's suffix (`d1` = sales_d1, `branch_h` = sales_branch_h).
 */
export type RollupGrain =
  'daily' | 'hourly' | 'd1' | 'h1' | 'q15' | 'branch_h' | 'productLine_h' | 'itemGroup_h' | 'salesPerson_h';

/**
 * One rollup table, filled by loads from this entry alone (`src/ingest/rollup-fill.ts`). Levels
 * differ in time column, bucket length, key dimensions and exact distinct states held.
 */
export interface RollupLevel {
  readonly grain: RollupGrain;
  readonly table: string;
  /** Start of the bucket (UTC) a row aggregates. */
  readonly timeColumn: string;
  /** Bucket length; buckets start at multiples of it since the Unix epoch, i.e. on UTC boundaries. */
  readonly bucketMs: number;
  /** Dimensions in the key (filters and breakdowns it answers); absent = all of the kind's. */
  readonly keyDimensions?: readonly string[];
  /** Columns whose exact distinct set it holds, as `uniqExact` states in `<column>U`. */
  readonly distinctStates?: readonly string[];
  /** Filled from this finer level of the same upload (far fewer rows) instead of its raw rows. */
  readonly from?: RollupGrain;
}

export interface DatasetKindDef {
  readonly kind: DatasetKindName;
  readonly description: string;
  readonly rawTable: string;
  /** Rollups, smallest first (the planner takes the first that answers exactly); none for the constituency registry. */
  readonly rollups: readonly RollupLevel[];
  readonly columns: readonly ColumnDef[];
  /** The key of a rollup level without `keyDimensions`: the kind's dimensions, in key order. */
  readonly dimensions?: readonly string[];
}

export const DATASET_KIND_NAMES = ['sales', 'turnout', 'constituencies'] as const;
export type DatasetKindName = (typeof DATASET_KIND_NAMES)[number];

const salesColumns: readonly ColumnDef[] = [
  {
    name: 'time',
    type: 'time',
    required: true,
    aliases: ['__time', 'timestamp', 'datetime', 'date'],
    description: 'When the sale happened (UTC unless the value carries an offset).',
  },
  {
    name: 'productLine',
    type: 'string',
    required: false,
    aliases: ['product_line'],
    description: 'Product line.',
  },
  { name: 'itemGroup', type: 'string', required: false, aliases: ['item_group'], description: 'Item group.' },
  {
    name: 'branch',
    type: 'string',
    required: false,
    aliases: ['store'],
    description: 'Branch that made the sale.',
  },
  {
    name: 'salesPerson',
    type: 'string',
    required: false,
    aliases: ['salesperson', 'employee'],
    description: 'Sales person.',
  },
  {
    name: 'account',
    type: 'string',
    required: false,
    aliases: ['AcctName', 'account_name'],
    description: 'Ledger account.',
  },
  {
    name: 'item',
    type: 'string',
    required: false,
    aliases: ['ItemName', 'product'],
    description: 'Item (product) sold.',
  },
  {
    name: 'customer',
    type: 'string',
    required: false,
    aliases: ['CardName', 'customer_name'],
    description: 'Customer.',
  },
  {
    name: 'grossRevenue',
    type: 'money',
    required: true,
    aliases: ['gross_revenue', 'revenue'],
    description: 'Gross revenue of the line.',
  },
  {
    name: 'returnsValue',
    type: 'money',
    required: false,
    aliases: ['returns_value', 'returns'],
    description: 'Value of returns (negative numbers).',
  },
  {
    name: 'unitsSold',
    type: 'quantity',
    required: false,
    aliases: ['units_sold'],
    description: 'Units sold.',
  },
  {
    name: 'unitsReturned',
    type: 'quantity',
    required: false,
    aliases: ['units_returned'],
    description: 'Units returned (negative numbers).',
  },
  {
    name: 'totalCost',
    type: 'money',
    required: false,
    aliases: ['total_cost', 'cost'],
    description: 'Cost of the goods sold on the line.',
  },
  {
    name: 'lineItemCount',
    type: 'integer',
    required: false,
    aliases: ['line_item_count', 'line_items'],
    description: 'Number of line items.',
  },
];

const turnoutColumns: readonly ColumnDef[] = [
  {
    name: 'time',
    type: 'time',
    required: true,
    aliases: ['timestamp', 'datetime', 'created_at'],
    description: 'When the transaction happened (UTC unless the value carries an offset).',
  },
  {
    name: 'electionId',
    type: 'string',
    required: true,
    aliases: ['election_id', 'election'],
    description: 'Election the transaction belongs to.',
  },
  {
    name: 'constituencyId',
    type: 'string',
    required: true,
    aliases: ['constituency_id', 'constituency', 'constituency_code'],
    description: 'Constituency of the polling station.',
  },
  {
    name: 'pollingStationId',
    type: 'string',
    required: false,
    aliases: [
      'polling_station_id',
      'polling_station',
      'polling_station_code',
      'station',
      'station_id',
      'station_code',
    ],
    description: 'Polling station (identified within its constituency).',
  },
  {
    name: 'bulletinsIssued',
    type: 'integer',
    nonNegative: true,
    required: true,
    aliases: ['bulletins_issued', 'bulletins', 'ballots_issued'],
    description: 'Ballots (bulletins) issued in the transaction.',
  },
  {
    name: 'votesCast',
    type: 'integer',
    nonNegative: true,
    required: true,
    aliases: ['votes_cast', 'votes', 'ballots_cast', 'votes_counted'],
    description: 'Votes cast in the transaction.',
  },
  {
    name: 'anomalies',
    type: 'integer',
    nonNegative: true,
    required: false,
    aliases: ['anomaly_count', 'anomaly_flags'],
    description: 'Number of anomalies flagged on the transaction (0 or more).',
  },
];

const constituencyColumns: readonly ColumnDef[] = [
  {
    name: 'electionId',
    type: 'string',
    required: true,
    aliases: ['election_id', 'election'],
    description: 'Election the registry row belongs to.',
  },
  {
    name: 'constituencyId',
    type: 'string',
    required: true,
    aliases: ['constituency_id', 'constituency', 'constituency_code', 'id'],
    description: 'Constituency identifier, as in turnout rows.',
  },
  {
    name: 'name',
    type: 'string',
    required: false,
    aliases: ['constituency_name'],
    description: 'Constituency name.',
  },
  {
    name: 'region',
    type: 'string',
    required: false,
    aliases: ['region_name', 'district', 'county'],
    description: 'Region the constituency belongs to.',
  },
  {
    name: 'registeredVoters',
    type: 'integer',
    nonNegative: true,
    required: true,
    aliases: ['registered_voters', 'registered', 'electorate', 'registered_voter_count', 'voters_registered'],
    description: 'Voters registered in the constituency.',
  },
];

export const DATASET_KINDS: Readonly<Record<DatasetKindName, DatasetKindDef>> = {
  sales: {
    kind: 'sales',
    description: 'One row per sales transaction line.',
    rawTable: 'sales_raw',
    rollups: SALES_ROLLUPS,
    columns: salesColumns,
    dimensions: SALES_DIMENSIONS,
  },
  turnout: {
    kind: 'turnout',
    description: 'One row per polling-station transaction.',
    rawTable: 'turnout_raw',
    rollups: [{ grain: 'hourly', table: 'turnout_hourly', timeColumn: 'hour', bucketMs: 3_600_000 }],
    columns: turnoutColumns,
    dimensions: ['electionId', 'constituencyId', 'pollingStationId'],
  },
  constituencies: {
    kind: 'constituencies',
    description:
      'Constituency registry (registered voters, region); per election, the newest loaded upload replaces earlier ones.',
    rawTable: 'constituencies_raw',
    // A registry is small and read whole: nothing to roll up.
    rollups: [],
    columns: constituencyColumns,
  },
};

export function datasetKind(kind: DatasetKindName): DatasetKindDef {
  return DATASET_KINDS[kind];
}

/** The tables an upload of a kind writes to: its raw table, then every rollup its load fills. */
export function tablesOf(kind: DatasetKindDef): string[] {
  return [kind.rawTable, ...kind.rollups.map((level) => level.table)];
}

export function isDatasetKindName(value: string): value is DatasetKindName {
  return Object.prototype.hasOwnProperty.call(DATASET_KINDS, value);
}

/** Dataset names end up in object keys and URLs: keep them boring. */
export const DATASET_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
