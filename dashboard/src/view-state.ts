import type { Grain, SalesDimension, SalesKpiId, SortDirection } from '../../operations/generated/graphql';

/** Everything a view shows, kept in the URL so a link opens the same view (deep links). */
export interface ViewState {
  view: 'sales' | 'turnout' | 'uploads';
  dataset: string;
  range: RangePreset;
  /** Custom range, local dates in `timeZone` (to inclusive). */
  from: string;
  to: string;
  timeZone: string;
  grain: Grain;
  kpi: string;
  by: SalesDimension;
  top: number;
  orderBy: SalesKpiId;
  direction: SortDirection;
  filters: Record<FilterName, string[]>;
  /** Turnout: the election, the constituency registry dataset, the breakdown dimension. */
  election: string;
  registry: string;
  turnoutBy: 'CONSTITUENCY' | 'REGION';
  /** Turnout filters: regions (as the registry names them) and constituency ids. */
  region: string[];
  constituency: string[];
}

export const RANGE_PRESETS = ['today', 'last7', 'last30', 'last90', 'month', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const FILTERS = ['branch', 'productLine', 'itemGroup', 'salesPerson'] as const;
export type FilterName = (typeof FILTERS)[number];
const GRAINS: Grain[] = ['HOUR', 'DAY', 'WEEK', 'MONTH'];
const DIMENSIONS: SalesDimension[] = ['BRANCH', 'PRODUCT_LINE', 'ITEM_GROUP', 'SALES_PERSON'];

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

export function readViewState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const list = (name: string) => (q.get(name) ?? '').split(',').filter((v) => v !== '');
  return {
    view: oneOf(q.get('view'), ['sales', 'turnout', 'uploads'] as const, 'sales'),
    dataset: q.get('dataset') ?? '',
    range: oneOf(q.get('range'), RANGE_PRESETS, 'last30'),
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
    timeZone: q.get('tz') ?? browserTimeZone(),
    grain: oneOf(q.get('grain'), GRAINS, 'DAY'),
    kpi: q.get('kpi') ?? 'netSales',
    by: oneOf(q.get('by'), DIMENSIONS, 'BRANCH'),
    top: Number(q.get('top')) > 0 ? Math.min(Number(q.get('top')), 100) : 10,
    orderBy: (q.get('orderBy') as SalesKpiId | null) ?? 'NET_SALES',
    direction: q.get('dir') === 'ASC' ? 'ASC' : 'DESC',
    filters: {
      branch: list('branch'),
      productLine: list('productLine'),
      itemGroup: list('itemGroup'),
      salesPerson: list('salesPerson'),
    },
    election: q.get('election') ?? '',
    registry: q.get('registry') ?? '',
    turnoutBy: q.get('turnoutBy') === 'REGION' ? 'REGION' : 'CONSTITUENCY',
    region: list('region'),
    constituency: list('constituency'),
  };
}

export function writeViewState(state: ViewState): string {
  const q = new URLSearchParams();
  q.set('view', state.view);
  if (state.dataset) q.set('dataset', state.dataset);
  q.set('range', state.range);
  if (state.range === 'custom') {
    q.set('from', state.from);
    q.set('to', state.to);
  }
  q.set('tz', state.timeZone);
  q.set('grain', state.grain);
  q.set('kpi', state.kpi);
  q.set('by', state.by);
  q.set('top', String(state.top));
  q.set('orderBy', state.orderBy);
  q.set('dir', state.direction);
  if (state.view === 'turnout') {
    q.set('election', state.election);
    if (state.registry) q.set('registry', state.registry);
    q.set('turnoutBy', state.turnoutBy);
    if (state.region.length > 0) q.set('region', state.region.join(','));
    if (state.constituency.length > 0) q.set('constituency', state.constituency.join(','));
  }
  for (const name of FILTERS) if (state.filters[name].length > 0) q.set(name, state.filters[name].join(','));
  return `?${q.toString()}`;
}
