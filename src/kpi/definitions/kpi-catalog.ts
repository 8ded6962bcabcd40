import type { DatasetState } from '../../datasets/dataset-directory';
import { isShareable } from '../evaluation/kpi-comparison';
import { missingColumns } from '../evaluation/kpi-evaluator';
import type { KpiDef, KpiKind, KpiUnavailable } from '../kpi-types';
import { isKpiKind, kpiKind, kpiKinds } from './kpi-kinds';

/** The KPI catalog: every KPI of every kind, what it means and whether a dataset supports it. */
export interface CatalogEntry {
  readonly kind: KpiKind;
  readonly kpi: KpiDef;
  readonly shareable: boolean;
}

/** Every KPI of every kind (or of one kind), in definition order. */
export function catalogEntries(kind?: string): CatalogEntry[] {
  return kpiKinds()
    .filter((definition) => !kind || definition.kind === kind)
    .flatMap((definition) =>
      [...definition.kpis.values()].map((kpi) => ({
        kind: definition.kind,
        kpi,
        shareable: isShareable(kpi),
      })),
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
  const definition = kpiKind(dataset.kind);
  const missing = kpi.needs.filter((c) => !definition.requiredColumns.has(c) && !dataset.columns.has(c));
  return missing.length === 0 ? null : missingColumns(missing);
}
