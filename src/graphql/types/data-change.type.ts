import { Field, ID, Int, ObjectType } from 'type-graphql';
import { SafeIntResolver } from 'graphql-scalars';
import { UploadStatus } from './enums';

@ObjectType('DataChange', {
  description: "A dataset's data changed: an upload became LOADED, or a LOADED one was REPLACED.",
})
export class DataChangeType {
  @Field({ description: 'The dataset whose data changed.' })
  dataset!: string;

  @Field(() => Int, {
    description:
      "The dataset's data version after the change: answers computed at an older version are stale.",
  })
  dataVersion!: number;

  @Field(() => ID, { description: 'The upload whose status changed.' })
  uploadId!: string;

  @Field(() => UploadStatus, { description: 'Its new status: LOADED or REPLACED.' })
  status!: string;

  @Field(() => SafeIntResolver, {
    description: 'Rows queries read from the dataset now (every visible LOADED upload).',
  })
  rows!: number;
}
