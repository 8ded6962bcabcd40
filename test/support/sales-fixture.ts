/**
 * Deterministic sales data for tests, written as CSV the way the seed system exported it, plus an
 * independent computation of every KPI straight from the rows (integer cents, no ClickHouse).
 */
export interface SalesRow {
  time: Date;
  productLine: string | null;
  itemGroup: string | null;
  branch: string | null;
  salesPerson: string | null;
  account: string | null;
  item: string | null;
  customer: string | null;
  grossCents: number;
  returnsCents: number | null;
  unitsSold: number | null;
  unitsReturned: number | null;
  costCents: number | null;
  lineItemCount: number | null;
}

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BRANCHES = ['Nairobi', 'Mombasa', 'Kisumu', 'Nakuru', 'Eldoret'];
const PRODUCT_LINES = ['Drinks, cold', 'Food', 'Household "Basics"', 'Electronics'];
const ITEM_GROUPS = ['A', 'B', 'C'];
const PEOPLE = ['Achieng', 'Baraka', 'Chebet', 'Dalmas', "O'Neil"];

export interface GenerateOptions {
  seed: number;
  rows: number;
  from: Date;
  /** Spread of timestamps, in days. */
  days: number;
  /** Branch names to draw from (benchmarks need more than the default five). */
  branches?: readonly string[];
  /** Cardinalities of every dimension (benchmarks' realistic profile); absent: the defaults below. */
  profile?: SalesProfile;
}

/** How many distinct values each dimension draws from (uniformly, independently). */
export interface SalesProfile {
  readonly branches: number;
  readonly productLines: number;
  readonly itemGroups: number;
  readonly salesPeople: number;
  readonly items: number;
  readonly customers: number;
  readonly accounts: number;
}

/** The defaults: 5 branches × 4 product lines × 3 item groups × 5 sales people, 60 items, 200 customers, 20 accounts. */
export const DEFAULT_PROFILE: SalesProfile = {
  branches: 5,
  productLines: 4,
  itemGroups: 3,
  salesPeople: 5,
  items: 60,
  customers: 200,
  accounts: 20,
};

/** Issue 17's realistic shape: 7 × 5 × 4 × 23 dimension values, 400 items, 900 customers, 60 accounts. */
export const REALISTIC_PROFILE: SalesProfile = {
  branches: 7,
  productLines: 5,
  itemGroups: 4,
  salesPeople: 23,
  items: 400,
  customers: 900,
  accounts: 60,
};

const names = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix} ${String(i + 1).padStart(2, '0')}`);

export function generateSalesRows(options: GenerateOptions): SalesRow[] {
  return [...salesRows(options)];
}

/**
 * The one row generator: lazy, so benchmarks can stream millions of rows to disk with exactly
 * the shape (and, for the same options, exactly the rows) the tests use.
 */
export function* salesRows(options: GenerateOptions): Generator<SalesRow> {
  const random = prng(options.seed);
  const pick = <T>(list: readonly T[]): T => {
    const item = list[Math.floor(random() * list.length)];
    if (item === undefined) throw new Error('salesRows: cannot pick from an empty list');
    return item;
  };
  const p = options.profile;
  const branches = options.branches ?? (p ? names('Branch', p.branches) : BRANCHES);
  const productLines = p ? names('Line', p.productLines) : PRODUCT_LINES;
  const itemGroups = p ? names('Group', p.itemGroups) : ITEM_GROUPS;
  const people = p ? names('Person', p.salesPeople) : PEOPLE;
  const { accounts, items, customers } = p ?? DEFAULT_PROFILE;
  for (let i = 0; i < options.rows; i += 1) {
    const units = 1 + Math.floor(random() * 9);
    const price = 50 + Math.floor(random() * 500_000);
    const returned = random() < 0.2 ? -Math.ceil(units * random()) : 0;
    yield {
      time: new Date(options.from.getTime() + Math.floor(random() * options.days * 86_400) * 1000),
      productLine: pick(productLines),
      itemGroup: pick(itemGroups),
      branch: pick(branches),
      salesPerson: pick(people),
      account: `ACC-${Math.floor(random() * accounts)}`,
      item: `Item ${Math.floor(random() * items)}`,
      customer: `Customer ${Math.floor(random() * customers)}, Ltd`,
      grossCents: units * price,
      returnsCents: returned * price,
      unitsSold: units,
      unitsReturned: returned,
      costCents: Math.floor(units * price * (0.4 + random() * 0.4)),
      lineItemCount: 1 + Math.floor(random() * 4),
    };
  }
}

type Column = keyof Omit<SalesRow, 'time'> | 'time';

/** Header names as the seed's exports spell them. */
const HEADERS: Record<Column, string> = {
  time: '__time',
  productLine: 'ProductLine',
  itemGroup: 'ItemGroup',
  branch: 'Branch',
  salesPerson: 'SalesPerson',
  account: 'AcctName',
  item: 'ItemName',
  customer: 'CardName',
  grossCents: 'grossRevenue',
  returnsCents: 'returnsValue',
  unitsSold: 'unitsSold',
  unitsReturned: 'unitsReturned',
  costCents: 'totalCost',
  lineItemCount: 'lineItemCount',
};

export const ALL_COLUMNS = Object.keys(HEADERS) as Column[];

const money = (cents: number) =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

function quote(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function cell(row: SalesRow, column: Column): string {
  const value = row[column];
  if (value === null) return '';
  if (column === 'time') return (value as Date).toISOString().replace('.000Z', 'Z');
  if (column === 'grossCents' || column === 'returnsCents' || column === 'costCents')
    return money(value as number);
  return quote(String(value));
}

export function csvHeader(columns: readonly Column[] = ALL_COLUMNS): string {
  return columns.map((c) => HEADERS[c]).join(',');
}

export function csvLine(row: SalesRow, columns: readonly Column[] = ALL_COLUMNS): string {
  return columns.map((c) => cell(row, c)).join(',');
}

export function toCsv(
  rows: readonly SalesRow[],
  columns: readonly Column[] = ALL_COLUMNS,
  lineEnd = '\n',
): string {
  const lines = [csvHeader(columns)];
  for (const row of rows) lines.push(csvLine(row, columns));
  return lines.join(lineEnd) + lineEnd;
}

export type Expected = { value: number } | { reason: string };

/** Every sales KPI over `rows`, computed independently; `columns` is what the file carried. */
export function expectedKpis(
  rows: readonly SalesRow[],
  columns: readonly Column[] = ALL_COLUMNS,
): Record<string, Expected> {
  const has = (c: Column) => columns.includes(c);
  const n = rows.length;
  const sum = (f: (r: SalesRow) => number | null) => rows.reduce((acc, r) => acc + (f(r) ?? 0), 0);
  const distinct = (f: (r: SalesRow) => string | null) => new Set(rows.map(f).filter((v) => v !== null)).size;
  const need = (cs: Column[], value: () => number, denominator?: () => number): Expected => {
    if (n === 0) return { reason: 'NO_DATA' };
    if (cs.some((c) => !has(c))) return { reason: 'MISSING_COLUMN' };
    if (cs.some((c) => rows.some((r) => r[c] === null))) return { reason: 'PARTIAL_COVERAGE' };
    if (denominator && denominator() === 0) return { reason: 'ZERO_DENOMINATOR' };
    return { value: value() };
  };
  const gross = () => sum((r) => r.grossCents);
  return {
    totalRevenue: need([], () => gross() / 100),
    returnsValue: need(['returnsCents'], () => sum((r) => r.returnsCents) / 100),
    netSales: need(['returnsCents'], () => (gross() + sum((r) => r.returnsCents)) / 100),
    returnRate: need(['returnsCents'], () => -sum((r) => r.returnsCents) / gross(), gross),
    totalCost: need(['costCents'], () => sum((r) => r.costCents) / 100),
    grossProfit: need(['costCents'], () => (gross() - sum((r) => r.costCents)) / 100),
    grossMargin: need(['costCents'], () => (gross() - sum((r) => r.costCents)) / gross(), gross),
    unitsSold: need(['unitsSold'], () => sum((r) => r.unitsSold)),
    unitsReturned: need(['unitsReturned'], () => sum((r) => r.unitsReturned)),
    netUnitsSold: need(
      ['unitsSold', 'unitsReturned'],
      () => sum((r) => r.unitsSold) + sum((r) => r.unitsReturned),
    ),
    transactions: need([], () => n),
    lineItems: need(['lineItemCount'], () => sum((r) => r.lineItemCount)),
    averageTransaction: need(
      [],
      () => gross() / 100 / n,
      () => n,
    ),
    uniqueProducts: need(['item'], () => distinct((r) => r.item)),
    uniqueBranches: need(['branch'], () => distinct((r) => r.branch)),
    uniqueSalespeople: need(['salesPerson'], () => distinct((r) => r.salesPerson)),
    uniqueCustomers: need(['customer'], () => distinct((r) => r.customer)),
  };
}

/** Ratios are compared to 12 significant digits; money and counts exactly. */
export const RATIO_KPIS = new Set(['returnRate', 'grossMargin', 'averageTransaction']);

export interface GatewayKpi {
  value: number | null;
  unavailable: { reason: string } | null;
}

/** Asserts one gateway KPI against the expectation, with a message naming where it differs. */
export function expectKpi(actual: GatewayKpi, expected: Expected | undefined, where: string): void {
  if (expected === undefined) throw new Error(`${where}: no expectation was computed for this KPI`);
  if ('reason' in expected) {
    if (actual.value !== null || actual.unavailable?.reason !== expected.reason) {
      throw new Error(`${where}: expected null with ${expected.reason}, got ${JSON.stringify(actual)}`);
    }
    return;
  }
  const kpi = where.slice(where.lastIndexOf('.') + 1);
  const ok =
    actual.value !== null &&
    (RATIO_KPIS.has(kpi)
      ? Math.abs(actual.value - expected.value) <= 1e-12 * Math.max(1, Math.abs(expected.value))
      : actual.value === expected.value);
  if (!ok) throw new Error(`${where}: expected ${expected.value}, got ${JSON.stringify(actual)}`);
}

export const KPI_IDS = Object.keys(expectedKpis([]));

/** Local bucket start of `time` for a grain in a zone, as a comparable key (local wall time). */
export function localBucketKey(time: Date, grain: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH', zone: string): string {
  const formatted = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  }).formatToParts(time);
  const part = (type: Intl.DateTimeFormatPartTypes): string => {
    const found = formatted.find((p) => p.type === type);
    if (!found) throw new Error(`no ${type} in ${time.toISOString()} formatted for ${zone}`);
    return found.value;
  };
  const [year, month, day] = [part('year'), part('month'), part('day')];
  if (grain === 'HOUR') return `${year}-${month}-${day} ${part('hour')}`;
  if (grain === 'DAY') return `${year}-${month}-${day}`;
  if (grain === 'MONTH') return `${year}-${month}`;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(part('weekday'));
  const localMidnight = Date.UTC(Number(year), Number(month) - 1, Number(day));
  return new Date(localMidnight - weekday * 86_400_000).toISOString().slice(0, 10);
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}
