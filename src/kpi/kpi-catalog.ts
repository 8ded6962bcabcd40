import type { DatasetState } from '../datasets/dataset-directory';
import type { DatasetKindName } from '../datasets/dataset-kinds';
import { isShareable } from './kpi-comparison';
import { isKpiKind, KPI_REGISTRIES } from './kpi-registry';
import type { KpiDef, KpiKind, KpiUnavailable } from './kpi-types';

export interface CatalogEntry {
  readonly kind: KpiKind;
  readonly kpi: KpiDef;
  readonly shareable: boolean;
}

/** Every KPI of every kind (or of one kind), in registry order. */
export function catalogEntries(kind?: DatasetKindName): CatalogEntry[] {
  return Object.values(KPI_REGISTRIES)
    .filter((registry) => !kind || registry.kind === kind)
    .flatMap((registry) =>
      [...registry.kpis.values()].map((kpi) => ({ kind: registry.kind, kpi, shareable: isShareable(kpi) })),
    );
}

/**
 * Support judged over the dataset as a whole, from what was uploaded: no rows at all, or a needed
 * column no upload carried. (Row coverage over a range needs a query: KpiService.support.)
 */
export function datasetSupport(kpi: KpiDef, dataset: DatasetState): KpiUnavailable | null {
  if (dataset.rows === 0)
    return {
      reason: 'NO_DATA',
      missingKeys: [],
      missingColumns: [],
      coverage: null,
      message: 'The dataset has no loaded rows.',
    };
  if (!isKpiKind(dataset.kind)) return null;
  const registry = KPI_REGISTRIES[dataset.kind];
  const missing = kpi.needs.filter((c) => !registry.requiredColumns.has(c) && !dataset.columns.has(c));
  if (missing.length === 0) return null;
  return {
    reason: 'MISSING_COLUMN',
    missingKeys: [],
    missingColumns: missing,
    coverage: 0,
    message: `No upload of this dataset had column(s) ${missing.join(', ')}.`,
  };
}
