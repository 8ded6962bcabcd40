import { SalesKpiCardsDocument, type KpiValueFieldsFragment } from '../../operations/generated/graphql';
import { useTypedQuery } from './use-typed-query';

/** KPI cards from one typed query: each card renders its value, or the reason it has none. */
function KpiCard({
  title,
  kpi,
  format,
}: {
  title: string;
  kpi: KpiValueFieldsFragment;
  format: (value: number) => string;
}) {
  return (
    <div className="kpi-card">
      <h3>{title}</h3>
      {kpi.value !== null ? (
        <strong>{format(kpi.value)}</strong>
      ) : (
        <em title={kpi.unavailable?.message}>n/a ({kpi.unavailable?.reason})</em>
      )}
    </div>
  );
}

const money = (value: number) =>
  value.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
const count = (value: number) => value.toLocaleString();

export function SalesKpiCards({ dataset, from, to }: { dataset: string; from: string; to: string }) {
  const state = useTypedQuery('/graphql', SalesKpiCardsDocument, { dataset, from, to });
  if (state.loading) return <p>Loading…</p>;
  if ('error' in state) return <p role="alert">{state.error}</p>;
  const { totals } = state.data.sales;
  return (
    <section className="kpi-cards">
      <KpiCard title="Net sales" kpi={totals.netSales} format={money} />
      <KpiCard title="Gross margin" kpi={totals.grossMargin} format={percent} />
      <KpiCard title="Return rate" kpi={totals.returnRate} format={percent} />
      <KpiCard title="Transactions" kpi={totals.transactions} format={count} />
      <KpiCard title="Customers" kpi={totals.uniqueCustomers} format={count} />
    </section>
  );
}
