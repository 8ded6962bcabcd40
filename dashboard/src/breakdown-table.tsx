import type { DashboardSalesViewQuery, SalesKpiId, SortDirection } from '../../operations/generated/graphql';
import type { KpiMeta } from './kpi-cards';
import { formatKpi } from './kpi-format';

type Group = NonNullable<DashboardSalesViewQuery['sales']>['breakdown'][number];

/** The top-N groups of a dimension by one KPI; the header sorts (a new query, ranked by the API). */
export function BreakdownTable(props: {
  groups: Group[];
  kpi: KpiMeta;
  orderBy: SalesKpiId;
  orderKpi: KpiMeta | undefined;
  direction: SortDirection;
  onSort: (orderBy: SalesKpiId, direction: SortDirection) => void;
}) {
  const { groups, kpi } = props;
  const sortedHere = props.orderKpi?.id === kpi.id;
  const sort = sortedHere ? (props.direction === 'DESC' ? 'descending' : 'ascending') : 'none';
  const enumOf = kpi.enumValue as SalesKpiId;
  if (groups.length === 0) return <p className="empty">No groups in this range.</p>;
  return (
    <table className="breakdown">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Group</th>
          <th scope="col" aria-sort={sort}>
            <button
              onClick={() => props.onSort(enumOf, sortedHere && props.direction === 'DESC' ? 'ASC' : 'DESC')}
            >
              {kpi.id} {sortedHere ? (props.direction === 'DESC' ? '▼' : '▲') : ''}
            </button>
          </th>
          <th scope="col">Share</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((group) => {
          const value = (
            group.kpis as unknown as Record<
              string,
              { value?: number | null; share?: number | null; unavailable?: { reason: string } | null }
            >
          )[kpi.id];
          return (
            <tr key={group.key}>
              <td>{group.rank}</td>
              <th scope="row">{group.key}</th>
              <td className="num">
                {value?.value !== null && value?.value !== undefined
                  ? formatKpi(value.value, kpi.unit)
                  : (value?.unavailable?.reason ?? '—')}
              </td>
              <td className="num">
                {value?.share !== null && value?.share !== undefined ? (
                  <span className="share">
                    <span
                      className="bar"
                      style={{ width: `${Math.round(Math.max(0, Math.min(1, value.share)) * 80)}px` }}
                    />
                    {(value.share * 100).toFixed(1)}%
                  </span>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
