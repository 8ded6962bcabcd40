import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { MAX_FILTER_VALUES } from '../../kpi/planning/request-validation';
import { MAX_TURNOUT_TOP } from '../../kpi/planning/turnout/turnout-plan';
import { breakdownArgsType } from './breakdown.args';
import { TurnoutDimension, TurnoutKpiId } from './enums';
import { TimeRangeInput } from './sales-report.args';

@InputType('TurnoutFilterInput', {
  description:
    'Keeps only constituencies listed (and/or of the regions listed, per the registry). Filters combine with AND; registered voters follow the same filters.',
})
export class TurnoutFilterInput {
  @Field(() => [String], {
    nullable: true,
    description: `Constituencies to keep (at most ${MAX_FILTER_VALUES}).`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_FILTER_VALUES)
  constituencyId?: string[];

  @Field(() => [String], {
    nullable: true,
    description: `Regions to keep, as named in the registry (at most ${MAX_FILTER_VALUES}); needs \`registry\`.`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_FILTER_VALUES)
  region?: string[];
}

@ArgsType()
export class TurnoutArgs {
  @Field(() => ID, { description: 'Turnout dataset name.' })
  @MaxLength(63)
  dataset!: string;

  @Field(() => ID, { description: 'Election to report on (the electionId column).' })
  @MaxLength(200)
  electionId!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'Constituency registry dataset (kind constituencies) giving registered voters and regions; per election its newest loaded upload counts. Without it, participation is null with MISSING_REGISTRY.',
  })
  @MaxLength(63)
  registry?: string;

  @Field(() => TimeRangeInput, { description: 'Time range of the report.' })
  range!: TimeRangeInput;

  @Field(() => TurnoutFilterInput, {
    nullable: true,
    description: 'Optional filters on constituencies and regions.',
  })
  filter?: TurnoutFilterInput;

  @Field({
    defaultValue: 'UTC',
    description: 'IANA time zone for series buckets and the activity pattern (e.g. "Europe/Berlin").',
  })
  @MaxLength(64)
  timeZone!: string;
}

export const TurnoutBreakdownArgs = breakdownArgsType({
  dimensions: TurnoutDimension,
  kpis: TurnoutKpiId,
  defaultOrderBy: 'votesCast',
  maxTop: MAX_TURNOUT_TOP,
  topNote: '; every group comes from one query',
});
