import type { DashboardKpiValueFragment, KpiUnit } from '../../operations/generated/graphql';
import { formatChange, formatKpi, UNIT_LABEL } from './kpi-format';

export interface KpiMeta {
  id: string;
  enumValue: string;
  description: string;
  unit: KpiUnit;
}

/** One card per KPI; an unsupported one is greyed with the API's reason and coverage, never a 0. */
export function KpiCards(props: {
  kpis: KpiMeta[];
  totals: Record<string, DashboardKpiValueFragment | undefined>;
  chosen: string;
  onChoose: (id: string) => void;
}) {
  return (
    <section aria-label="KPIs" className="cards">
      {props.kpis.map((kpi) => {
        const value = props.totals[kpi.id];
        if (!value) return null;
        return (
          <KpiCard
            key={kpi.id}
            kpi={kpi}
            value={value}
            chosen={props.chosen === kpi.id}
            onChoose={() => props.onChoose(kpi.id)}
          />
        );
      })}
    </section>
  );
}

function KpiCard(props: {
  kpi: KpiMeta;
  value: DashboardKpiValueFragment;
  chosen: boolean;
  onChoose: () => void;
}) {
  const { kpi, value } = props;
  const missing = value.unavailable;
  const comparison = value.comparison;
  return (
    <article
      className={`card${missing ? ' unsupported' : ''}${props.chosen ? ' chosen' : ''}`}
      data-kpi={kpi.id}
      aria-label={kpi.id}
    >
      <h3 title={kpi.description}>{kpi.id}</h3>
      {value.value !== null && value.value !== undefined ? (
        <p className="value" data-value={value.value}>
          {formatKpi(value.value, kpi.unit)}
        </p>
      ) : (
        <p className="value missing">—</p>
      )}
      <p className="unit">{UNIT_LABEL[kpi.unit]}</p>
      {missing ? (
        <p className="reason" data-reason={missing.reason}>
          {missing.reason}
          {missing.coverage !== null && missing.coverage !== undefined
            ? ` · coverage ${Math.round(missing.coverage * 1000) / 10}%`
            : ''}
          : {missing.message}
        </p>
      ) : comparison?.changePercent !== null && comparison?.changePercent !== undefined ? (
        <p className={`change ${comparison.changePercent >= 0 ? 'up' : 'down'}`}>
          {formatChange(comparison.changePercent)} vs previous period
        </p>
      ) : (
        <p className="change none">vs previous period: {comparison?.unavailable?.message ?? 'none'}</p>
      )}
      {!missing && (
        <button className="chart-it" aria-pressed={props.chosen} onClick={props.onChoose}>
          Chart {kpi.id}
        </button>
      )}
    </article>
  );
}
