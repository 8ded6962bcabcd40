import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { DatasetKindName } from '../../datasets/dataset-kinds';
import type { GatewayContext } from '../context';
import { DatasetKind } from '../types/enums';
import { DatasetType, toDatasetType } from '../types/dataset.type';

/** The datasets uploads have filled. */
@Resolver(() => DatasetType)
export class DatasetResolver {
  @Query(() => [DatasetType], { description: 'Datasets, by name.' })
  datasets(
    @Arg('kind', () => DatasetKind, { nullable: true, description: 'Only datasets of this kind.' })
    kind: DatasetKindName | undefined,
    @Ctx() ctx: GatewayContext,
  ): DatasetType[] {
    return ctx.services.directory.list(kind).map(toDatasetType);
  }
}
