import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { MAX_FILTER_VALUES } from '../../kpi/planning/request-validation';
import { breakdownArgsType } from './breakdown.args';
import { Grain, SalesDimension, SalesKpiId } from './enums';

@InputType('TimeRangeInput', {
  description:
    'A half-open time range: `from` inclusive, `to` exclusive. Whole UTC days are answered from the daily rollup (series only where the time zone is at UTC+0 throughout), whole UTC hours from the hourly rollup.',
})
export class TimeRangeInput {
  @Field({ description: 'Start, inclusive.' })
  from!: Date;

  @Field({ description: 'End, exclusive.' })
  to!: Date;
}

@InputType('SalesFilterInput', {
  description: 'Keeps only rows whose dimension value is one of those listed. Filters combine with AND.',
})
export class SalesFilterInput {
  @Field(() => [String], { nullable: true, description: `Branches to keep (at most ${MAX_FILTER_VALUES}).` })
  @IsOptional()
  @ArrayMaxSize(MAX_FILTER_VALUES)
  branch?: string[];

  @Field(() => [String], {
    nullable: true,
    description: `Product lines to keep (at most ${MAX_FILTER_VALUES}).`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_FILTER_VALUES)
  productLine?: string[];

  @Field(() => [String], {
    nullable: true,
    description: `Item groups to keep (at most ${MAX_FILTER_VALUES}).`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_FILTER_VALUES)
  itemGroup?: string[];

  @Field(() => [String], {
    nullable: true,
    description: `Sales people to keep (at most ${MAX_FILTER_VALUES}).`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_FILTER_VALUES)
  salesPerson?: string[];
}

@ArgsType()
export class SalesArgs {
  @Field(() => ID, { description: 'Dataset name.' })
  @MaxLength(63)
  dataset!: string;

  @Field(() => TimeRangeInput, { description: 'Time range of the report.' })
  range!: TimeRangeInput;

  @Field(() => SalesFilterInput, { nullable: true, description: 'Optional filters on dimensions.' })
  filter?: SalesFilterInput;

  @Field({ defaultValue: 'UTC', description: 'IANA time zone for series buckets (e.g. "Europe/Berlin").' })
  @MaxLength(64)
  timeZone!: string;
}

@ArgsType()
export class SeriesArgs {
  @Field(() => Grain, { description: 'Bucket width.' })
  grain!: Grain;
}

export const MAX_TOP = 100;

export const BreakdownArgs = breakdownArgsType({
  dimensions: SalesDimension,
  kpis: SalesKpiId,
  defaultOrderBy: 'totalRevenue',
  maxTop: MAX_TOP,
});
