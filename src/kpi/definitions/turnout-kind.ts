import { DATASET_KINDS } from '../../datasets/dataset-kinds';
import { planTurnoutQuery } from '../planning/turnout/turnout-planner';
import { defineKpiKind } from './kind-definition';
import { TURNOUT_DERIVED_MEASURES, TURNOUT_DIMENSIONS, TURNOUT_KPIS, TURNOUT_MEASURES } from './turnout-kpis';

/**
 * Turnout: rows are aggregated per constituency first, so that the constituency registry (a
 * dataset of its own, named by the request) can give registered voters. Its uploads change the
 * answer, so the service reads its state beside the turnout dataset's.
 */
export const TURNOUT_KIND = defineKpiKind({
  kind: 'turnout',
  tables: DATASET_KINDS.turnout,
  kpis: TURNOUT_KPIS,
  measures: TURNOUT_MEASURES,
  dimensions: TURNOUT_DIMENSIONS,
  derived: TURNOUT_DERIVED_MEASURES,
  planner: planTurnoutQuery,
  companions: (request) =>
    request.election?.registry ? [{ name: request.election.registry, kind: 'constituencies' }] : [],
});
