import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import { SALES_KIND } from '../../kpi/definitions/sales-kind';
import { compareRows, priorRange } from '../../kpi/evaluation/kpi-comparison';
import type { KpiRequest, QueryShape } from '../../kpi/kpi-types';
import { assertTimeZone } from '../../kpi/planning/time-zones';
import { Comparison } from '../types/enums';
import type { GatewayContext } from '../context';
import type { BreakdownArguments } from '../types/breakdown.args';
import { BreakdownArgs, SalesArgs, SeriesArgs } from '../types/sales-report.args';
import { SalesBucketType, SalesGroupType, SalesReportType } from '../types/sales-report.type';
import { SalesKpisType } from '../types/sales-kpis.type';
import { breakdownRows, bucketsOf, requestedKpis as selectedKpis, totalsRow } from './report-rows';

function requestedKpis(info: GraphQLResolveInfo, path: string[]): string[] {
  return selectedKpis(SALES_KIND, info, path);
}

function kpiRequest(report: SalesReportType, kpis: string[], shape: QueryShape): KpiRequest {
  return {
    kind: 'sales',
    dataset: report.dataset,
    range: report.range,
    timeZone: report.timeZone,
    filters: report.filters,
    kpis,
    shape,
  };
}

@Resolver(() => SalesReportType)
export class SalesReportResolver {
  @Query(() => SalesReportType, {
    description: 'Sales KPIs of a dataset over a time range: totals, a time series and breakdowns.',
  })
  sales(@Args() args: SalesArgs, @Ctx() ctx: GatewayContext): SalesReportType {
    ctx.services.kpi.dataset(args.dataset, 'sales');
    const filters: Record<string, string[]> = {};
    for (const [dimension, values] of Object.entries(args.filter ?? {}))
      if (values) filters[dimension] = values;
    return {
      dataset: args.dataset,
      range: { from: args.range.from, to: args.range.to },
      timeZone: assertTimeZone(args.timeZone),
      filters,
    };
  }

  @FieldResolver(() => SalesKpisType, {
    description:
      'KPIs over the whole range; with `compare`, each KPI also carries its comparison with an earlier window.',
  })
  async totals(
    @Root() report: SalesReportType,
    @Arg('compare', () => Comparison, { nullable: true, description: 'Compare with this earlier window.' })
    compare: Comparison | undefined,
    @Ctx() ctx: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SalesKpisType> {
    const request = kpiRequest(report, requestedKpis(info, []), { type: 'totals' });
    // `totals { __typename }` asks for no KPI: nothing to compute, nothing to query.
    if (request.kpis.length === 0) return {} as SalesKpisType;
    const [current, previous] = await Promise.all([
      ctx.loaders.kpi.load(request),
      compare ? ctx.loaders.kpi.load({ ...request, range: priorRange(request.range, compare) }) : undefined,
    ]);
    const row = totalsRow(current);
    return (previous ? compareRows(row, totalsRow(previous)) : row).kpis as SalesKpisType;
  }

  @FieldResolver(() => [SalesBucketType], {
    description: 'KPIs per time bucket, oldest first; buckets without rows are left out.',
  })
  async series(
    @Root() report: SalesReportType,
    @Args() args: SeriesArgs,
    @Ctx() ctx: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SalesBucketType[]> {
    const answer = await ctx.loaders.kpi.load(
      kpiRequest(report, requestedKpis(info, ['kpis']), { type: 'series', grain: args.grain }),
    );
    return bucketsOf(answer);
  }

  @FieldResolver(() => [SalesGroupType], { description: 'Top groups of a dimension ranked by a KPI.' })
  async breakdown(
    @Root() report: SalesReportType,
    @Args(() => BreakdownArgs) args: BreakdownArguments,
    @Ctx() ctx: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SalesGroupType[]> {
    const request = kpiRequest(report, requestedKpis(info, ['kpis']), { type: 'totals' });
    const rows = await breakdownRows(ctx.loaders.kpi, request, args, info);
    return rows.map((row, index) => ({
      key: row.key ?? null,
      rank: index + 1,
      kpis: row.kpis as SalesKpisType,
    }));
  }
}
