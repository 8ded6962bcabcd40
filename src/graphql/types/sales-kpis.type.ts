import { Field, ObjectType } from 'type-graphql';
import { SALES_KPIS } from '../../kpi/sales-kpis';
import { KpiValueType } from './kpi-value.type';

/**
 * One typed field per sales KPI, generated from the KPI registry so that adding a KPI is one
 * registry entry: client codegen still sees each KPI as its own field.
 */
@ObjectType('SalesKpis', {
  description:
    'Every sales KPI over one slice (totals, a series bucket or a breakdown group). Only the fields you select are computed.',
})
export class SalesKpisType {
  [kpi: string]: KpiValueType;
}

for (const kpi of SALES_KPIS) {
  Field(() => KpiValueType, { description: `${kpi.description} Formula: ${kpi.formula}.` })(
    SalesKpisType.prototype,
    kpi.id,
  );
}
