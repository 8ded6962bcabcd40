import { useEffect, useMemo } from 'react';
import { useQuery, useSubscription } from 'urql';
import {
  DashboardSalesViewDocument,
  DataChangedDocument,
  type DashboardKpiValueFragment,
  type DashboardSalesUniquesFragment,
  type SalesDimension,
} from '../../operations/generated/graphql';
import { BreakdownTable } from './breakdown-table';
import { KpiCards, type KpiMeta } from './kpi-cards';
import { SalesControls } from './sales-controls';
import { SeriesChart } from './series-chart';
import { resolveRange } from './time-range';
import type { ViewState } from './view-state';
import { ViewErrors } from './view-errors';

/** The exact unique counts; checked against the operation's fragment by the compiler. */
const UNIQUE_KPIS: ReadonlyArray<keyof Omit<DashboardSalesUniquesFragment, '__typename'>> = [
  'uniqueBranches',
  'uniqueCustomers',
  'uniqueProducts',
  'uniqueSalespeople',
];
const isUnique = (id: string) => (UNIQUE_KPIS as readonly string[]).includes(id);

/**
 * The sales view: cards, chart and breakdown from ONE operation per change of the view, re-run
 * when the dataset's `dataChanged` subscription says an upload landed (no polling).
 */
export function SalesView(props: {
  state: ViewState;
  datasets: string[];
  loadingDatasets: boolean;
  update: (change: Partial<ViewState>) => void;
  /** A new upload may be a new dataset: the picker re-reads the list. */
  onDataChanged: () => void;
}) {
  const { state, update } = props;
  const range = resolveRange(state.range, state, state.timeZone);
  const ready = state.dataset !== '' && !('error' in range);
  const filter = useMemo(() => {
    const entries = Object.entries(state.filters).filter(([, values]) => values.length > 0);
    return entries.length > 0 ? Object.fromEntries(entries) : null;
  }, [state.filters]);
  const [result, reexecute] = useQuery({
    query: DashboardSalesViewDocument,
    pause: !ready,
    variables: {
      dataset: state.dataset,
      from: 'from' in range ? range.from : '',
      to: 'to' in range ? range.to : '',
      timeZone: state.timeZone,
      filter,
      grain: state.grain,
      by: state.by,
      top: state.top,
      orderBy: state.orderBy,
      direction: state.direction,
      // The cards always show the unique counts; the chart and the table ask for them only while
      // one of them is the KPI shown or sorted by (per local day or per group they read raw rows).
      detailUniques: isUnique(state.kpi) || UNIQUE_KPIS.some((id) => orderEnum(id) === state.orderBy),
    },
  });
  const [live] = useSubscription({
    query: DataChangedDocument,
    pause: state.dataset === '',
    variables: { dataset: state.dataset },
  });
  const change = live.data?.dataChanged;
  const { onDataChanged } = props;
  useEffect(() => {
    if (!change) return;
    reexecute({ requestPolicy: 'network-only' });
    onDataChanged();
  }, [change, reexecute, onDataChanged]);

  const kpis: KpiMeta[] = (result.data?.kpiCatalog ?? []).filter((k) => k.kind === 'SALES');
  const sales = result.data?.sales;
  const totals = (sales?.totals ?? {}) as unknown as Record<string, DashboardKpiValueFragment>;
  const chosen = kpis.find((k) => k.id === state.kpi) ?? kpis.find((k) => k.id === 'netSales');
  const orderKpi = kpis.find((k) => k.enumValue === state.orderBy);
  const series = useMemo(() => {
    const buckets = sales?.series ?? [];
    const id = chosen?.id ?? 'netSales';
    return {
      starts: buckets.map((b) => b.start),
      values: buckets.map(
        (b) => (b.kpis as unknown as Record<string, DashboardKpiValueFragment>)[id]?.value ?? null,
      ),
    };
  }, [sales, chosen]);
  const transactions = totals.transactions?.value;

  if (!props.loadingDatasets && !props.datasets.includes(state.dataset))
    return (
      <section className="empty-state">
        <h2>{state.dataset ? `No sales data in ${state.dataset} yet` : 'No sales data yet'}</h2>
        <p>
          Upload a sales CSV in <button onClick={() => update({ view: 'uploads' })}>Uploads</button>: one row
          per line item with at least <code>time</code> and <code>grossRevenue</code>; add <code>cost</code>{' '}
          for margins and <code>branch</code>, <code>productLine</code>, <code>itemGroup</code>,{' '}
          <code>salesPerson</code> for breakdowns (see examples/sales.csv).
        </p>
      </section>
    );

  return (
    <>
      <SalesControls state={state} datasets={props.datasets} update={update} />
      <p className="live" aria-live="polite">
        {change
          ? `Updated live: ${change.dataset} is at data version ${change.dataVersion} (${change.rows} rows).`
          : live.error
            ? `Live updates unavailable: ${live.error.message}`
            : 'Live: refreshes when new data lands.'}
      </p>
      <ViewErrors range={range} error={result.error} />
      {result.fetching && !sales ? (
        <div className="skeleton" aria-busy="true" aria-label="Loading KPIs">
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="card skeleton-card" />
          ))}
        </div>
      ) : sales ? (
        <div aria-busy={result.fetching}>
          {transactions === 0 && (
            <p className="empty">
              No sales in this range: pick another range, or upload rows for it in Uploads.
            </p>
          )}
          <KpiCards
            kpis={kpis}
            totals={totals}
            chosen={chosen?.id ?? ''}
            onChoose={(kpi) => update({ kpi })}
          />
          <section aria-label="Chart" className="panel">
            <h2>
              {chosen?.id ?? 'netSales'} per {state.grain.toLowerCase()} ({sales.timeZone})
            </h2>
            <SeriesChart
              label={chosen?.id ?? 'netSales'}
              starts={series.starts}
              values={series.values}
              timeZone={sales.timeZone}
            />
          </section>
          <section aria-label="Breakdown" className="panel">
            <h2>Breakdown</h2>
            <div className="row">
              <label>
                By{' '}
                <select
                  aria-label="Break down by"
                  value={state.by}
                  onChange={(e) => update({ by: e.target.value as SalesDimension })}
                >
                  <option value="BRANCH">branch</option>
                  <option value="PRODUCT_LINE">product line</option>
                  <option value="ITEM_GROUP">item group</option>
                  <option value="SALES_PERSON">salesperson</option>
                </select>
              </label>
              <label>
                Top{' '}
                <select
                  aria-label="Top groups"
                  value={state.top}
                  onChange={(e) => update({ top: Number(e.target.value) })}
                >
                  {[5, 10, 25, 50].map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {chosen && (
              <BreakdownTable
                groups={sales.breakdown}
                kpi={orderKpi ?? chosen}
                orderBy={state.orderBy}
                orderKpi={orderKpi}
                direction={state.direction}
                onSort={(orderBy, direction) => update({ orderBy, direction })}
              />
            )}
          </section>
        </div>
      ) : null}
    </>
  );
}

/** `uniqueCustomers` → `UNIQUE_CUSTOMERS`, the enum value the breakdown sorts by. */
function orderEnum(id: string): string {
  return id.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}
