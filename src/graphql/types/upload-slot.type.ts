import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { IsOptional, Matches, Max, Min } from 'class-validator';
import { DATASET_NAME } from '../../datasets/dataset-kinds';
import { DatasetKind } from './enums';
import { UploadType } from './upload.type';

@ObjectType('UploadSlot', {
  description:
    'Where to send a file directly to object storage. PUT the file to `url`, then call startUpload(id).',
})
export class UploadSlotType {
  @Field(() => UploadType, { description: 'The PENDING upload; its id is what startUpload takes.' })
  upload!: UploadType;

  @Field({ description: 'Presigned URL: send the file as the body of an HTTP PUT (no credentials needed).' })
  url!: string;

  @Field({ description: 'HTTP method to use with `url` (always PUT).' })
  method!: string;

  @Field({ description: 'Object key the file lands at.' })
  objectKey!: string;

  @Field({ description: 'After this the URL no longer accepts the file.' })
  expiresAt!: Date;
}

@ArgsType()
export class CreateUploadArgs {
  @Field(() => ID, { description: 'Dataset to load into (1–63 characters of a-z 0-9 . _ -).' })
  @Matches(DATASET_NAME)
  dataset!: string;

  @Field(() => DatasetKind, {
    nullable: true,
    description: 'Kind of rows; required when the dataset is new.',
  })
  @IsOptional()
  kind?: string;

  @Field(() => Int, {
    defaultValue: 0,
    description:
      'Bad rows that may be skipped while the good ones load; 0 rejects the upload on any bad row.',
  })
  @Min(0)
  @Max(1_000_000_000)
  maxBadRows!: number;

  @Field(() => ID, {
    nullable: true,
    description:
      'REPLACE mode: the LOADED upload of this dataset that this file corrects. Its rows are removed once this one is LOADED.',
  })
  @IsOptional()
  replaces?: string;
}
