import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import { TURNOUT_KIND } from '../../kpi/definitions/turnout-kind';
import type { KpiRequest, KpiRow, QueryShape } from '../../kpi/kpi-types';
import { assertTimeZone } from '../../kpi/planning/time-zones';
import type { GatewayContext } from '../context';
import { selectedFieldNames } from '../selection';
import { SeriesArgs } from '../types/sales-report.args';
import type { BreakdownArguments } from '../types/breakdown.args';
import { TurnoutArgs, TurnoutBreakdownArgs } from '../types/turnout-report.args';
import {
  TurnoutActivityHourType,
  TurnoutBucketType,
  TurnoutGroupType,
  TurnoutRegistryCheckType,
  TurnoutReportType,
} from '../types/turnout-report.type';
import { TurnoutKpisType } from '../types/turnout-kpis.type';
import type { KpiValueType } from '../types/kpi-value.type';
import { breakdownRows, bucketsOf, requestedKpis as selectedKpis, totalsRow } from './report-rows';

/** Asking for constituency registry checks makes the planner join the registry; this KPI carries them. */
const REGISTRY_KPI = 'cumulativeParticipationRate';
const ACTIVITY_KPIS = ['votesCast', 'transactions', 'bulletinsIssued'] as const;

function requestedKpis(info: GraphQLResolveInfo, path: string[]): string[] {
  return selectedKpis(TURNOUT_KIND, info, path);
}

function kpiRequest(report: TurnoutReportType, kpis: string[], shape: QueryShape): KpiRequest {
  return {
    kind: 'turnout',
    dataset: report.dataset,
    election: { electionId: report.electionId, registry: report.registry },
    range: report.range,
    timeZone: report.timeZone,
    filters: report.filters,
    kpis,
    shape,
  };
}

function hourOf(row: KpiRow): number {
  if (row.hourOfDay === undefined) throw new Error('An hour-of-day row came back without its hour');
  return row.hourOfDay;
}

@Resolver(() => TurnoutReportType)
export class TurnoutReportResolver {
  @Query(() => TurnoutReportType, {
    description:
      'Turnout of one election over a time range: totals, a time series with cumulative participation, breakdowns by constituency or region, and the hourly activity pattern.',
  })
  turnout(@Args() args: TurnoutArgs, @Ctx() ctx: GatewayContext): TurnoutReportType {
    ctx.services.kpi.dataset(args.dataset, 'turnout');
    if (args.registry) ctx.services.kpi.dataset(args.registry, 'constituencies');
    const filters: Record<string, string[]> = {};
    for (const [dimension, values] of Object.entries(args.filter ?? {}))
      if (values) filters[dimension] = values;
    return {
      dataset: args.dataset,
      electionId: args.electionId,
      registry: args.registry ?? null,
      range: { from: args.range.from, to: args.range.to },
      timeZone: assertTimeZone(args.timeZone),
      filters,
    };
  }

  @FieldResolver(() => TurnoutKpisType, { description: 'KPIs over the whole range.' })
  async totals(
    @Root() report: TurnoutReportType,
    @Ctx() ctx: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TurnoutKpisType> {
    const kpis = requestedKpis(info, []);
    // `totals { __typename }` asks for no KPI: nothing to compute, nothing to query.
    if (kpis.length === 0) return {} as TurnoutKpisType;
    const answer = await ctx.loaders.kpi.load(kpiRequest(report, kpis, { type: 'totals' }));
    return totalsRow(answer).kpis as TurnoutKpisType;
  }

  @FieldResolver(() => TurnoutRegistryCheckType, {
    description:
      'Registry coverage of the report: constituencies missing from the registry, constituencies over 100%. Computed with the totals (same query).',
  })
  async registryCheck(
    @Root() report: TurnoutReportType,
    @Ctx() ctx: GatewayContext,
  ): Promise<TurnoutRegistryCheckType> {
    const answer = await ctx.loaders.kpi.load(kpiRequest(report, [REGISTRY_KPI], { type: 'totals' }));
    const check = totalsRow(answer).registry;
    if (!check) throw new Error('A totals query reading the registry returned no registry check');
    return {
      registeredVoters: check.registeredVoters,
      missingCount: check.missingCount,
      missingConstituencies: [...check.missing],
      overRegisteredCount: check.overRegisteredCount,
      overRegisteredConstituencies: [...check.overRegistered],
    };
  }

  @FieldResolver(() => [TurnoutBucketType], {
    description:
      'KPIs per time bucket, oldest first; buckets without rows are left out. Cumulative participation counts every vote from the first row up to each bucket end.',
  })
  async series(
    @Root() report: TurnoutReportType,
    @Args() args: SeriesArgs,
    @Ctx() ctx: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TurnoutBucketType[]> {
    const answer = await ctx.loaders.kpi.load(
      kpiRequest(report, requestedKpis(info, ['kpis']), { type: 'series', grain: args.grain }),
    );
    return bucketsOf(answer);
  }

  @FieldResolver(() => [TurnoutGroupType], {
    description:
      'Top constituencies or regions ranked by a KPI, with participation per group, share of the slice total and an over-100% flag.',
  })
  async breakdown(
    @Root() report: TurnoutReportType,
    @Args(() => TurnoutBreakdownArgs) args: BreakdownArguments,
    @Ctx() ctx: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TurnoutGroupType[]> {
    const selected = selectedFieldNames(info);
    const kpis = requestedKpis(info, ['kpis']);
    if (selected.has('overRegistered') || selected.has('overRegisteredConstituencies'))
      kpis.push(REGISTRY_KPI);
    const rows = await breakdownRows(
      ctx.loaders.kpi,
      kpiRequest(report, kpis, { type: 'totals' }),
      args,
      info,
    );
    return rows.map((row, index) => ({
      key: row.key ?? null,
      rank: index + 1,
      overRegistered: (row.registry?.overRegisteredCount ?? 0) > 0,
      overRegisteredConstituencies: [...(row.registry?.overRegistered ?? [])],
      kpis: row.kpis as TurnoutKpisType,
    }));
  }

  @FieldResolver(() => [TurnoutActivityHourType], {
    description:
      'Votes, transactions and bulletins by local hour of day (0–23) over the whole range; hours without rows are left out.',
  })
  async activityPattern(
    @Root() report: TurnoutReportType,
    @Ctx() ctx: GatewayContext,
  ): Promise<TurnoutActivityHourType[]> {
    const answer = await ctx.loaders.kpi.load(kpiRequest(report, [...ACTIVITY_KPIS], { type: 'hourOfDay' }));
    return answer.rows.map((row) => ({
      hour: hourOf(row),
      votesCast: row.kpis.votesCast as KpiValueType,
      transactions: row.kpis.transactions as KpiValueType,
      bulletinsIssued: row.kpis.bulletinsIssued as KpiValueType,
    }));
  }
}
