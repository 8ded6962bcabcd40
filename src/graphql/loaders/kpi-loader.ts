import DataLoader from 'dataloader';
import type { KpiAnswer, KpiService } from '../../kpi/kpi-service';
import type { KpiRequest } from '../../kpi/kpi-types';
import type { OperationStats } from '../operation-stats';

/** Everything that makes two requests the same query, except which KPIs they want. */
export function shapeKey(request: KpiRequest): string {
  const filters = Object.entries(request.filters)
    .map(([dimension, values]) => [dimension, [...values].sort()] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([request.kind, request.dataset, request.election ?? null, request.range.from.getTime(), request.range.to.getTime(), request.timeZone, filters, request.shape]);
}

/**
 * Built per GraphQL request. Sibling fields that ask about the same slice (aliases, KPI cards
 * wanting different KPIs) are merged: one warehouse query per distinct shape, with the union of
 * the KPIs asked for; each caller gets the shared answer.
 */
export function createKpiLoader(service: KpiService, stats: OperationStats): DataLoader<KpiRequest, KpiAnswer, string> {
  return new DataLoader<KpiRequest, KpiAnswer, string>(
    async (requests) => {
      const groups = new Map<string, { request: KpiRequest; kpis: Set<string> }>();
      for (const request of requests) {
        const key = shapeKey(request);
        const group = groups.get(key) ?? { request, kpis: new Set<string>() };
        for (const kpi of request.kpis) group.kpis.add(kpi);
        groups.set(key, group);
      }
      const answers = new Map<string, Promise<KpiAnswer>>();
      for (const [key, group] of groups) {
        const answer = service.answer({ ...group.request, kpis: [...group.kpis].sort() });
        answers.set(key, answer);
        void answer.then((a) => stats.record(service.dataset(group.request.dataset, group.request.kind), a), () => undefined);
      }
      return Promise.all(requests.map((request) => answers.get(shapeKey(request))!.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
    },
    { cacheKeyFn: (request) => `${shapeKey(request)}|${[...request.kpis].sort().join(',')}` },
  );
}
