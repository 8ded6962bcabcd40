import { Field, ObjectType } from 'type-graphql';
import { TURNOUT_KPIS } from '../../kpi/turnout-kpis';
import { KpiValueType } from './kpi-value.type';

/** One typed field per turnout KPI, generated from the turnout KPI registry (as SalesKpis is). */
@ObjectType('TurnoutKpis', {
  description:
    'Every turnout KPI over one slice (totals, a series bucket or a breakdown group). Only the fields you select are computed.',
})
export class TurnoutKpisType {
  [kpi: string]: KpiValueType;
}

for (const kpi of TURNOUT_KPIS) {
  Field(() => KpiValueType, { description: `${kpi.description} Formula: ${kpi.formula}.` })(
    TurnoutKpisType.prototype,
    kpi.id,
  );
}
