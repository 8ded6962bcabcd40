import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { KpiValueType } from './kpi-value.type';
import { TimeRangeType } from './sales-report.type';
import { bucketObjectType, type BucketOfSlice } from './kpi-slice.type';
import { TurnoutKpisType } from './turnout-kpis.type';

@ObjectType('TurnoutReport', {
  description: 'Turnout KPIs of one election in one dataset over one time range, with optional filters.',
})
export class TurnoutReportType {
  @Field(() => ID, { description: 'Turnout dataset name.' })
  dataset!: string;

  @Field(() => ID, { description: 'Election the report is about.' })
  electionId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Constituency registry dataset the participation KPIs read; null when none was given.',
  })
  registry!: string | null;

  @Field(() => TimeRangeType, { description: 'The range asked for.' })
  range!: TimeRangeType;

  @Field({ description: 'Time zone of series buckets and of the activity pattern.' })
  timeZone!: string;

  /** Dimension → values; not exposed, used by the field resolvers. */
  filters!: Record<string, string[]>;
}

export const TurnoutBucketType = bucketObjectType(
  'TurnoutBucket',
  TurnoutKpisType,
  'Bucket end (exclusive); cumulative participation counts votes up to here.',
);
export type TurnoutBucketType = BucketOfSlice;

@ObjectType('TurnoutGroup', { description: 'One group of a turnout breakdown.' })
export class TurnoutGroupType {
  @Field(() => String, {
    nullable: true,
    description:
      'The constituency or region; null for the region of constituencies missing from the registry.',
  })
  key!: string | null;

  @Field(() => Int, { description: 'Position in the ranking, from 1.' })
  rank!: number;

  @Field({
    description:
      'True when a constituency of the group has more votes (up to the end of the range) than registered voters. Participation is then over 100 and reported as is.',
  })
  overRegistered!: boolean;

  @Field(() => [String], { description: 'Those constituencies (sorted, at most 20).' })
  overRegisteredConstituencies!: string[];

  @Field(() => TurnoutKpisType, { description: 'KPIs over the group.' })
  kpis!: TurnoutKpisType;
}

@ObjectType('TurnoutActivityHour', {
  description: 'Activity at one local hour of day, summed over every day of the range.',
})
export class TurnoutActivityHourType {
  @Field(() => Int, { description: 'Local hour of day, 0–23, in the report time zone.' })
  hour!: number;

  @Field(() => KpiValueType, { description: 'Votes cast at this hour of day.' })
  votesCast!: KpiValueType;

  @Field(() => KpiValueType, { description: 'Transactions at this hour of day.' })
  transactions!: KpiValueType;

  @Field(() => KpiValueType, { description: 'Bulletins issued at this hour of day.' })
  bulletinsIssued!: KpiValueType;
}

@ObjectType('TurnoutRegistryCheck', {
  description:
    'How the constituency registry matches the report: who is missing from it, who has more votes than voters.',
})
export class TurnoutRegistryCheckType {
  @Field(() => Float, {
    description: 'Registered voters of the registry rows matching the filters (reporting or not).',
  })
  registeredVoters!: number;

  @Field(() => Int, {
    description: 'Constituencies with rows up to the end of the range but no registry row.',
  })
  missingCount!: number;

  @Field(() => [String], { description: 'The first of them (sorted, at most 20).' })
  missingConstituencies!: string[];

  @Field(() => Int, {
    description: 'Constituencies whose votes up to the end of the range exceed their registered voters.',
  })
  overRegisteredCount!: number;

  @Field(() => [String], { description: 'The first of them (sorted, at most 20).' })
  overRegisteredConstituencies!: string[];
}
