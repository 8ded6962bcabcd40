import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int, type ClassType } from 'type-graphql';
import type { SortDirection as Direction } from '../../kpi/kpi-types';
import { SortDirection } from './enums';

/** The arguments of every report's `breakdown`, whatever the kind. */
export interface BreakdownArguments {
  by: string;
  top: number;
  orderBy: string;
  direction: Direction;
}

export interface BreakdownArgsOptions {
  /** The GraphQL enum of the dimensions the kind breaks down by. */
  readonly dimensions: object;
  /** The GraphQL enum of the kind's KPIs. */
  readonly kpis: object;
  readonly defaultOrderBy: string;
  readonly maxTop: number;
  /** Said after the bounds of `top`. */
  readonly topNote?: string;
}

/** A report's breakdown arguments: the same four for every kind, with the kind's enums and bounds. */
export function breakdownArgsType(options: BreakdownArgsOptions): ClassType<BreakdownArguments> {
  @ArgsType()
  class BreakdownArgs implements BreakdownArguments {
    @Field(() => options.dimensions, { description: 'Dimension to group by.' })
    by!: string;

    @Field(() => Int, {
      defaultValue: 10,
      description: `How many groups to return (1–${options.maxTop})${options.topNote ?? ''}.`,
    })
    @Min(1)
    @Max(options.maxTop)
    top!: number;

    @Field(() => options.kpis, {
      defaultValue: options.defaultOrderBy,
      description: 'KPI to rank groups by.',
    })
    orderBy!: string;

    @Field(() => SortDirection, { defaultValue: 'DESC', description: 'Ranking direction.' })
    direction!: Direction;
  }
  return BreakdownArgs;
}
