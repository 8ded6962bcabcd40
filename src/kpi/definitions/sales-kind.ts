import { DATASET_KINDS } from '../../datasets/dataset-kinds';
import { planRollupQuery } from '../planning/rollup-planner';
import { defineKpiKind } from './kind-definition';
import { SALES_DIMENSIONS, SALES_KPIS, SALES_MEASURES } from './sales-kpis';

/**
 * Sales: every KPI is a formula over row aggregates, so the rollup planner answers them all.
 * Totals of sibling KPI cards, each filtered to one value of a dimension (a card per branch), are
 * one grouped query: a sales group's totals are exactly the totals filtered to its value.
 */
export const SALES_KIND = defineKpiKind({
  kind: 'sales',
  tables: DATASET_KINDS.sales,
  kpis: SALES_KPIS,
  measures: SALES_MEASURES,
  dimensions: SALES_DIMENSIONS,
  planner: planRollupQuery,
  groupableDimensions: SALES_DIMENSIONS,
});
