import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { DatasetKindName } from '../../datasets/dataset-kinds';
import type { GatewayContext } from '../context';
import { DatasetKind } from '../types/enums';
import { DatasetType, toDatasetType } from '../types/dataset.type';
import { toUploadType, UploadConnectionType, UploadsArgs, UploadType } from '../types/upload.type';

@Resolver()
export class CatalogResolver {
  @Query(() => [DatasetType], { description: 'Datasets, by name.' })
  datasets(
    @Arg('kind', () => DatasetKind, { nullable: true, description: 'Only datasets of this kind.' })
    kind: DatasetKindName | undefined,
    @Ctx() ctx: GatewayContext,
  ): DatasetType[] {
    return ctx.services.directory.list(kind).map(toDatasetType);
  }

  @Query(() => UploadType, { nullable: true, description: 'One upload by id; null when there is none.' })
  async upload(
    @Arg('id', () => ID, { description: 'Upload id.' }) id: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<UploadType | null> {
    const upload = await ctx.services.ledger.get(id);
    return upload ? toUploadType(upload) : null;
  }

  @Query(() => UploadConnectionType, { description: 'The upload ledger, newest first.' })
  async uploads(@Args() args: UploadsArgs, @Ctx() ctx: GatewayContext): Promise<UploadConnectionType> {
    const page = await ctx.services.ledger.page(
      { dataset: args.dataset, status: args.status },
      args.first,
      args.after,
    );
    return {
      nodes: page.uploads.map(toUploadType),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }
}
