import DataLoader from 'dataloader';
import { kpiKind } from '../../kpi/definitions/kpi-kinds';
import { MAX_FILTER_VALUES } from '../../kpi/planning/request-validation';
import type { KpiAnswer, KpiService } from '../../kpi/kpi-service';
import type { KpiRequest } from '../../kpi/kpi-types';
import type { OperationStats } from '../operation-stats';

/** Everything that makes two requests the same query, except which KPIs they want. */
export function shapeKey(request: KpiRequest): string {
  const filters = Object.entries(request.filters)
    .map(([dimension, values]) => [dimension, [...values].sort()] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([
    request.kind,
    request.dataset,
    request.election ?? null,
    request.range.from.getTime(),
    request.range.to.getTime(),
    request.timeZone,
    filters,
    request.shape,
  ]);
}

/**
 * Totals filtered to one value of a dimension the kind groups (a sales card per branch): the
 * dimension and the key of the same request without that filter. Such siblings become one grouped
 * query; the kind's definition says where that is exact.
 */
export function perValueKey(request: KpiRequest): { dimension: string; value: string; key: string } | null {
  if (request.shape.type !== 'totals') return null;
  const groupable = kpiKind(request.kind).groupableDimensions;
  const dimension = Object.keys(request.filters)
    .sort()
    .find((d) => request.filters[d]?.length === 1 && groupable.includes(d));
  const value = dimension === undefined ? undefined : request.filters[dimension]?.[0];
  if (dimension === undefined || value === undefined) return null;
  const { [dimension]: _single, ...rest } = request.filters;
  return { dimension, value, key: `${dimension}|${shapeKey({ ...request, filters: rest })}` };
}

interface Group {
  readonly request: KpiRequest;
  readonly kpis: Set<string>;
  readonly values: Set<string>;
  readonly dimension?: string;
}

/**
 * Built per GraphQL request. Sibling fields that ask about the same slice (aliases, KPI cards
 * wanting different KPIs) are merged into one warehouse query per distinct shape, with the union
 * of the KPIs asked for; totals that differ only by the one value of a dimension filter (50 branch
 * cards) are answered together by one grouped query.
 */
export function createKpiLoader(
  service: KpiService,
  stats: OperationStats,
): DataLoader<KpiRequest, KpiAnswer, string> {
  return new DataLoader<KpiRequest, KpiAnswer, string>(
    async (requests) => {
      const perValue = new Map<string, number>();
      for (const request of requests) {
        const pv = perValueKey(request);
        if (pv) perValue.set(pv.key, (perValue.get(pv.key) ?? 0) + 1);
      }
      // Only siblings that really share a slice are grouped; a lone card stays a plain totals query.
      const groupOf = (request: KpiRequest) => {
        const pv = perValueKey(request);
        const siblings = pv ? (perValue.get(pv.key) ?? 0) : 0;
        return pv && siblings > 1 && siblings <= MAX_FILTER_VALUES ? pv : null;
      };
      const groups = new Map<string, Group>();
      for (const request of requests) {
        const pv = groupOf(request);
        const key = pv ? pv.key : shapeKey(request);
        const group = groups.get(key) ?? {
          request,
          kpis: new Set<string>(),
          values: new Set<string>(),
          dimension: pv?.dimension,
        };
        for (const kpi of request.kpis) group.kpis.add(kpi);
        if (pv) group.values.add(pv.value);
        groups.set(key, group);
      }
      const answers = new Map<string, Promise<KpiAnswer | Map<string, KpiAnswer>>>();
      for (const [key, group] of groups) {
        const request = { ...group.request, kpis: [...group.kpis].sort() };
        const dataset = () => service.dataset(group.request.dataset, group.request.kind);
        const answer = group.dimension
          ? service
              .answerEach(request, group.dimension, [...group.values])
              .then(({ answers: each, grouped }) => {
                stats.record(dataset(), grouped);
                return each;
              })
          : service.answer(request).then((single) => {
              stats.record(dataset(), single);
              return single;
            });
        answers.set(key, answer);
      }
      return Promise.all(
        requests.map(async (request) => {
          const pv = groupOf(request);
          try {
            const answer = await answers.get(pv ? pv.key : shapeKey(request));
            const found = answer instanceof Map ? pv && answer.get(pv.value) : answer;
            if (!found) throw new Error('A batched KPI request got no answer');
            return found;
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      );
    },
    { cacheKeyFn: (request) => `${shapeKey(request)}|${[...request.kpis].sort().join(',')}` },
  );
}
