import { Arg, Ctx, Resolver, Root, Subscription } from 'type-graphql';
import type { DataChange } from '../../datasets/data-versions';
import type { GatewayContext } from '../context';
import { DataChangeType } from '../types/data-change.type';

interface SubscribeData {
  args: { dataset: string };
  context: GatewayContext;
}

/** Live refresh for dashboards: the access guard checks the dataset's scope at start and per event. */
@Resolver()
export class DataChangeResolver {
  @Subscription(() => DataChangeType, {
    description:
      'Tells when `dataset` gets new data (an upload became LOADED, or a LOADED one was REPLACED), on any gateway replica, so a client re-queries instead of polling.',
    // Listening starts before the subscription is answered: no change after it is missed.
    subscribe: async ({ args, context }: SubscribeData) =>
      only(args.dataset, await context.services.directory.dataChanges()),
  })
  dataChanged(
    @Arg('dataset', { description: 'The dataset to watch.' }) _dataset: string,
    @Root() change: DataChange,
    @Ctx() ctx: GatewayContext,
  ): DataChangeType {
    return { ...change, rows: ctx.services.directory.get(change.dataset)?.rows ?? 0 };
  }
}

async function* only(dataset: string, changes: AsyncGenerator<DataChange>): AsyncGenerator<DataChange> {
  try {
    for await (const change of changes) if (change.dataset === dataset) yield change;
  } finally {
    await changes.return(undefined);
  }
}
