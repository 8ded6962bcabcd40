import { useEffect } from 'react';
import { useQuery, useSubscription } from 'urql';
import {
  DashboardTurnoutViewDocument,
  DataChangedDocument,
  type DashboardTurnoutValueFragment,
} from '../../operations/generated/graphql';
import { formatKpi } from './kpi-format';
import { SeriesChart } from './series-chart';
import { TurnoutControls } from './turnout-controls';
import { resolveRange } from './time-range';
import type { ViewState } from './view-state';
import { ViewErrors } from './view-errors';

const CARDS: Array<{ id: string; unit: 'COUNT' | 'PERCENT' | 'PER_HOUR' }> = [
  { id: 'votesCast', unit: 'COUNT' },
  { id: 'participationRate', unit: 'PERCENT' },
  { id: 'votesPerHour', unit: 'PER_HOUR' },
  { id: 'anomalyCount', unit: 'COUNT' },
  { id: 'reportingConstituencies', unit: 'COUNT' },
];

/** Turnout: one operation per view change, re-run when the turnout dataset gets new data. */
export function TurnoutView(props: {
  state: ViewState;
  turnoutDatasets: string[];
  registries: string[];
  update: (change: Partial<ViewState>) => void;
}) {
  const { state, update } = props;
  const filter = {
    ...(state.region.length > 0 ? { region: state.region } : {}),
    ...(state.constituency.length > 0 ? { constituencyId: state.constituency } : {}),
  };
  const range = resolveRange(state.range, state, state.timeZone);
  const ready = state.dataset !== '' && state.election !== '' && !('error' in range);
  const [result, reexecute] = useQuery({
    query: DashboardTurnoutViewDocument,
    pause: !ready,
    variables: {
      dataset: state.dataset,
      electionId: state.election,
      registry: state.registry || null,
      from: 'from' in range ? range.from : '',
      to: 'to' in range ? range.to : '',
      timeZone: state.timeZone,
      grain: state.grain,
      by: state.turnoutBy,
      filter: Object.keys(filter).length > 0 ? filter : null,
    },
  });
  const [live] = useSubscription({
    query: DataChangedDocument,
    pause: state.dataset === '',
    variables: { dataset: state.dataset },
  });
  useEffect(() => {
    if (live.data?.dataChanged) reexecute({ requestPolicy: 'network-only' });
  }, [live.data, reexecute]);
  const report = result.data?.turnout;
  const totals = (report?.totals ?? {}) as unknown as Record<string, DashboardTurnoutValueFragment>;
  const check = report?.registryCheck;
  // Every point missing (a constituency without registry line): say why instead of an empty chart.
  const cumulative = report?.series.map((b) => b.kpis.cumulativeParticipationRate) ?? [];
  const cumulativeMissing = cumulative.every((k) => k.value === null)
    ? cumulative[0]?.unavailable
    : undefined;
  const peak = Math.max(1, ...(report?.activityPattern ?? []).map((h) => h.votesCast.value ?? 0));

  return (
    <>
      <TurnoutControls
        state={state}
        turnoutDatasets={props.turnoutDatasets}
        registries={props.registries}
        update={update}
      />
      {!ready && (
        <p className="empty">
          Name a turnout dataset and its election (upload turnout rows and a constituency registry in
          Uploads).
        </p>
      )}
      <ViewErrors range={range} error={result.error} />
      {result.fetching && !report && (
        <div className="skeleton card" aria-busy="true" aria-label="Loading turnout" />
      )}
      {report && (
        <div aria-busy={result.fetching}>
          <section aria-label="Turnout KPIs" className="cards">
            {CARDS.map(({ id, unit }) => {
              const kpi = totals[id];
              const missing = kpi?.unavailable;
              return (
                <article
                  key={id}
                  className={`card${missing ? ' unsupported' : ''}`}
                  data-kpi={id}
                  aria-label={id}
                >
                  <h3>{id}</h3>
                  <p className="value" data-value={kpi?.value ?? undefined}>
                    {kpi?.value !== null && kpi?.value !== undefined ? formatKpi(kpi.value, unit) : '—'}
                  </p>
                  {missing && (
                    <p className="reason" data-reason={missing.reason}>
                      {missing.reason}
                      {missing.reason === 'MISSING_REGISTRY' && missing.missingKeys.length > 0
                        ? `: the registry lacks ${missing.missingKeys.join(', ')}`
                        : `: ${missing.message}`}
                    </p>
                  )}
                </article>
              );
            })}
          </section>
          {check && (check.missingCount > 0 || check.overRegisteredCount > 0) && (
            <p className="registry-check" role="note">
              {check.missingCount > 0 && `Not in the registry: ${check.missingConstituencies.join(', ')}. `}
              {check.overRegisteredCount > 0 &&
                `Over 100% of registered voters: ${check.overRegisteredConstituencies.join(', ')}.`}
            </p>
          )}
          <section aria-label="Participation" className="panel">
            <h2>
              Cumulative participation per {state.grain.toLowerCase()} ({report.timeZone})
            </h2>
            {cumulativeMissing && (
              <p className="reason" data-reason={cumulativeMissing.reason}>
                {cumulativeMissing.reason}: {cumulativeMissing.message}
              </p>
            )}
            <SeriesChart
              label="cumulativeParticipationRate"
              starts={report.series.map((b) => b.start)}
              values={report.series.map((b) => b.kpis.cumulativeParticipationRate.value ?? null)}
              timeZone={report.timeZone}
            />
            <h2>Votes per {state.grain.toLowerCase()}</h2>
            <SeriesChart
              label="votesCast"
              starts={report.series.map((b) => b.start)}
              values={report.series.map((b) => b.kpis.votesCast.value ?? null)}
              timeZone={report.timeZone}
            />
          </section>
          <section aria-label="Turnout breakdown" className="panel">
            <table className="breakdown">
              <thead>
                <tr>
                  <th scope="col">{state.turnoutBy === 'REGION' ? 'Region' : 'Constituency'}</th>
                  <th scope="col">Votes</th>
                  <th scope="col">Participation</th>
                  <th scope="col">Anomalies</th>
                </tr>
              </thead>
              <tbody>
                {report.breakdown.map((g) => (
                  <tr key={g.key} className={g.overRegistered ? 'over' : undefined}>
                    <th scope="row">
                      {g.key}
                      {g.overRegistered ? ' (over 100%)' : ''}
                    </th>
                    <td className="num">{g.kpis.votesCast.value ?? '—'}</td>
                    <td className="num">
                      {g.kpis.participationRate.value !== null && g.kpis.participationRate.value !== undefined
                        ? formatKpi(g.kpis.participationRate.value, 'PERCENT')
                        : (g.kpis.participationRate.unavailable?.reason ?? '—')}
                    </td>
                    <td className="num">{g.kpis.anomalyCount.value ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-label="Hour of day" className="panel">
            <h2>Votes by hour of day</h2>
            <ol className="hours">
              {report.activityPattern.map((h) => (
                <li key={h.hour}>
                  <span className="hour">{String(h.hour).padStart(2, '0')}:00</span>
                  <span
                    className="bar"
                    style={{ width: `${Math.round(((h.votesCast.value ?? 0) / peak) * 160)}px` }}
                  />
                  <span className="num">{h.votesCast.value ?? '—'}</span>
                </li>
              ))}
            </ol>
          </section>
        </div>
      )}
    </>
  );
}
