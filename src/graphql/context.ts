import type DataLoader from 'dataloader';
import { LOCAL_PRINCIPAL, type Principal } from '../auth/principal';
import type { DatasetDirectory } from '../datasets/dataset-directory';
import type { IngestService } from '../ingest/ingest-service';
import type { UploadLedger } from '../ingest/upload-ledger';
import type { KpiAnswer, KpiService } from '../kpi/kpi-service';
import type { KpiRequest } from '../kpi/kpi-types';
import { createKpiLoader } from './loaders/kpi-loader';
import { OperationStats } from './operation-stats';

export interface Services {
  readonly directory: DatasetDirectory;
  readonly kpi: KpiService;
  readonly ledger: UploadLedger;
  readonly ingest: IngestService;
}

export interface GatewayContext {
  readonly requestId: string;
  /** The caller; root fields check its roles and dataset scopes (access-guard.ts). */
  readonly principal: Principal;
  /** Who budgets and rate limits are counted for (server/caller-id.ts). */
  readonly caller: string;
  readonly services: Services;
  readonly stats: OperationStats;
  readonly loaders: { readonly kpi: DataLoader<KpiRequest, KpiAnswer, string> };
  /** Set once the operation is known: may the whole answer be cached (see cacheable-operation.ts)? */
  readonly response: { cacheable: boolean };
}

/** Loaders are per request: batching and memoisation never leak between operations. */
export function createContext(
  services: Services,
  requestId: string,
  principal: Principal = LOCAL_PRINCIPAL,
  caller = 'local',
): GatewayContext {
  const stats = new OperationStats();
  return {
    requestId,
    principal,
    caller,
    services,
    stats,
    loaders: { kpi: createKpiLoader(services.kpi, stats) },
    response: { cacheable: false },
  };
}
