import { Field, ID, Int, ObjectType } from 'type-graphql';
import { bucketObjectType, type BucketOfSlice } from './kpi-slice.type';
import { SalesKpisType } from './sales-kpis.type';

@ObjectType('TimeRange', { description: 'A half-open time range.' })
export class TimeRangeType {
  @Field({ description: 'Start, inclusive.' })
  from!: Date;

  @Field({ description: 'End, exclusive.' })
  to!: Date;
}

@ObjectType('SalesReport', {
  description: 'Sales KPIs of one dataset over one time range, with optional filters.',
})
export class SalesReportType {
  @Field(() => ID, { description: 'Dataset name.' })
  dataset!: string;

  @Field(() => TimeRangeType, { description: 'The range asked for.' })
  range!: TimeRangeType;

  @Field({ description: 'Time zone of series buckets.' })
  timeZone!: string;

  /** Dimension → values; not exposed, used by the field resolvers. */
  filters!: Record<string, string[]>;
}

export const SalesBucketType = bucketObjectType('SalesBucket', SalesKpisType, 'Bucket end (exclusive).');
export type SalesBucketType = BucketOfSlice;

@ObjectType('SalesGroup', { description: 'One group of a breakdown.' })
export class SalesGroupType {
  @Field(() => String, { nullable: true, description: 'The dimension value; null for rows that have none.' })
  key!: string | null;

  @Field(() => Int, { description: 'Position in the ranking, from 1.' })
  rank!: number;

  @Field(() => SalesKpisType, { description: 'KPIs over the group.' })
  kpis!: SalesKpisType;
}
