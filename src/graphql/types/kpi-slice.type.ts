import { Field, ObjectType, type ClassType } from 'type-graphql';
import type { KpiDef } from '../../kpi/kpi-types';
import { KpiValueType } from './kpi-value.type';

/** The KPI values of one slice, by KPI id. */
export type KpisOfSlice = Record<string, KpiValueType>;

/**
 * One typed field per KPI of a kind, generated from the kind's KPI definitions so that adding a
 * KPI is one definition: client codegen still sees each KPI as its own field.
 */
export function kpisObjectType(name: string, kind: string, kpis: readonly KpiDef[]): ClassType<KpisOfSlice> {
  @ObjectType(name, {
    description: `Every ${kind} KPI over one slice (totals, a series bucket or a breakdown group). Only the fields you select are computed.`,
  })
  class KpisType {
    [kpi: string]: KpiValueType;
  }
  for (const kpi of kpis) {
    Field(() => KpiValueType, { description: `${kpi.description} Formula: ${kpi.formula}.` })(
      KpisType.prototype,
      kpi.id,
    );
  }
  return KpisType;
}

/** A time-series bucket of a kind's report, with that kind's KPIs. */
export interface BucketOfSlice {
  start: Date;
  end: Date;
  kpis: KpisOfSlice;
}

/** The bucket type of a report: the same three fields for every kind; `end` says what it bounds. */
export function bucketObjectType(
  name: string,
  kpisType: ClassType<KpisOfSlice>,
  endDescription: string,
): ClassType<BucketOfSlice> {
  @ObjectType(name, {
    description: 'One time-series bucket. Edge buckets hold only the part inside the range.',
  })
  class BucketType {
    @Field({
      description: 'Bucket start (inclusive), a local-time boundary in the requested zone, as an instant.',
    })
    start!: Date;

    @Field({ description: endDescription })
    end!: Date;

    @Field(() => kpisType, { description: 'KPIs over the bucket.' })
    kpis!: KpisOfSlice;
  }
  return BucketType;
}
