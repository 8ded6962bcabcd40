import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Facts about the request being served, for the few places Apollo calls without a context: error
 * formatting (the request id the client sees in `x-request-id`) and the persisted-operation store
 * (partitioned by the caller's access, so one caller's registrations are invisible to another).
 */
export interface RequestScope {
  readonly requestId: string;
  /** `Principal.access`: callers with equal access share partitions. */
  readonly access: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
