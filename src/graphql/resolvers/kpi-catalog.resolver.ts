import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { catalogEntries, datasetSupport } from '../../kpi/definitions/kpi-catalog';
import type { KpiUnavailable } from '../../kpi/kpi-types';
import type { GatewayContext } from '../context';
import { KpiCatalogArgs, KpiDefinitionType } from '../types/kpi-definition.type';

@Resolver()
export class KpiCatalogResolver {
  @Query(() => [KpiDefinitionType], {
    description:
      'Every KPI with its formula, unit and needs; given a dataset (and optionally a range), whether each is supported and why not — one request to grey out dashboard cards.',
  })
  async kpiCatalog(@Args() args: KpiCatalogArgs, @Ctx() ctx: GatewayContext): Promise<KpiDefinitionType[]> {
    const dataset = args.dataset ? ctx.services.directory.get(args.dataset) : undefined;
    if (args.dataset && !dataset) ctx.services.kpi.dataset(args.dataset, 'sales'); // throws DATASET_NOT_FOUND
    const entries = catalogEntries(dataset?.kind);
    let reasons: Map<string, KpiUnavailable | null> | undefined;
    // Row coverage over a range is a sales question; a turnout slice also needs an election (ask the report).
    if (dataset && args.range && dataset.kind === 'sales') {
      const support = await ctx.services.kpi.support({
        kind: dataset.kind,
        dataset: dataset.name,
        range: { from: args.range.from, to: args.range.to },
        timeZone: 'UTC',
        filters: {},
        kpis: entries.map((e) => e.kpi.id),
        shape: { type: 'totals' },
      });
      ctx.stats.record(dataset, support.answer);
      reasons = support.reasons;
    }
    return entries.map(({ kind, kpi, shareable }) => {
      const reason = dataset
        ? reasons
          ? (reasons.get(kpi.id) ?? null)
          : datasetSupport(kpi, dataset)
        : undefined;
      return {
        id: kpi.id,
        enumValue: kpi.enumValue,
        kind,
        description: kpi.description,
        unit: kpi.unit,
        formula: kpi.formula,
        needs: [...kpi.needs],
        shareable,
        support:
          reason === undefined
            ? null
            : {
                supported: reason === null,
                unavailable: reason
                  ? {
                      ...reason,
                      missingColumns: [...reason.missingColumns],
                      missingKeys: [...(reason.missingKeys ?? [])],
                    }
                  : null,
              },
      };
    });
  }
}
