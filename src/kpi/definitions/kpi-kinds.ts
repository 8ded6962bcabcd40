import { createHash } from 'node:crypto';
import type { KpiKindDefinition } from './kind-definition';
import { SALES_KIND } from './sales-kind';
import { TURNOUT_KIND } from './turnout-kind';

/**
 * The table of KPI kinds, keyed by kind: the service, the DataLoader layer and the KPI catalog
 * find a kind's KPIs, planner and grouping rule here and never branch on a kind's name.
 */
const KINDS = new Map<string, KpiKindDefinition>([
  [SALES_KIND.kind, SALES_KIND],
  [TURNOUT_KIND.kind, TURNOUT_KIND],
]);

let version: string | null = null;

export function isKpiKind(kind: string): boolean {
  return KINDS.has(kind);
}

/** A kind's definition; an unknown kind is a programming error (dataset kinds are fixed in code). */
export function kpiKind(kind: string): KpiKindDefinition {
  const found = KINDS.get(kind);
  if (!found) throw new Error(`No KPI kind ${kind}`);
  return found;
}

/** Every KPI kind, in registration order. */
export function kpiKinds(): KpiKindDefinition[] {
  return [...KINDS.values()];
}

/**
 * Adds a kind. The built-in kinds are in the table above; this is how a test registers a toy
 * kind (docs/adding-a-dataset-kind.md) without it reaching the product.
 */
export function registerKpiKind(definition: KpiKindDefinition): void {
  if (KINDS.has(definition.kind)) throw new Error(`KPI kind ${definition.kind} is already registered`);
  KINDS.set(definition.kind, definition);
  version = null;
}

/** Part of every cache key: a changed formula never serves an answer computed by the old one. */
export function kpiCatalogVersion(): string {
  version ??= createHash('sha256')
    .update(JSON.stringify(kpiKinds().map((k) => [k.kind, [...k.kpis.values()], [...k.measures.values()]])))
    .digest('hex')
    .slice(0, 16);
  return version;
}
