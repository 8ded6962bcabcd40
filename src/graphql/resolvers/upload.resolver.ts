import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { RowErrorsArgs, RowErrorType } from '../types/row-error.type';
import { CreateUploadArgs, UploadSlotType } from '../types/upload-slot.type';
import { toUploadType, UploadConnectionType, UploadsArgs, UploadType } from '../types/upload.type';

/** The upload ledger, presigned uploads, starting and retrying loads, and an upload's row errors. */
@Resolver(() => UploadType)
export class UploadResolver {
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

  @Mutation(() => UploadSlotType, {
    description:
      'Step 1 of a direct-to-storage upload: a PENDING upload and a presigned PUT URL for the file.',
  })
  async createUpload(@Args() args: CreateUploadArgs, @Ctx() ctx: GatewayContext): Promise<UploadSlotType> {
    const slot = await ctx.services.ingest.createSlot({
      dataset: args.dataset,
      kind: args.kind,
      maxBadRows: args.maxBadRows,
      replaces: args.replaces,
    });
    return {
      upload: toUploadType(slot.upload),
      url: slot.url,
      method: 'PUT',
      objectKey: slot.upload.objectKey,
      expiresAt: slot.expiresAt,
    };
  }

  @Mutation(() => UploadType, {
    description:
      'Step 2, after the PUT: validates and loads the stored file; answers when the upload reached its final status.',
  })
  async startUpload(
    @Arg('id', () => ID, { description: 'Id from createUpload.' }) id: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<UploadType> {
    return toUploadType(await ctx.services.ingest.startSlot(id));
  }

  @Mutation(() => UploadType, {
    description:
      'Loads a FAILED upload again from its stored file; whatever an earlier attempt wrote is removed first.',
  })
  async retryUpload(
    @Arg('id', () => ID, { description: 'Id of a FAILED upload.' }) id: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<UploadType> {
    return toUploadType(await ctx.services.ingest.retry(id));
  }

  @FieldResolver(() => [RowErrorType], {
    description: 'Every problem found in the file, in file order (paged).',
  })
  async rowErrors(
    @Root() upload: UploadType,
    @Args() args: RowErrorsArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<RowErrorType[]> {
    if (upload.rowErrorCount === 0) return [];
    return ctx.services.ingest.rowErrors.page(upload.id, args.first, args.offset);
  }
}
