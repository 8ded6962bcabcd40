import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { DatasetState } from '../../datasets/dataset-directory';
import { DatasetKind } from './enums';

@ObjectType('Dataset', { description: 'A named collection of uploads of one kind.' })
export class DatasetType {
  @Field(() => ID, { description: 'Dataset name.' })
  name!: string;

  @Field(() => DatasetKind, { description: 'Kind of rows it holds.' })
  kind!: string;

  @Field(() => [String], { description: 'Canonical columns carried by at least one loaded upload.' })
  columns!: string[];

  @Field(() => Int, { description: 'Number of loaded uploads.' })
  loadedUploads!: number;

  @Field(() => SafeIntResolver, { description: 'Rows loaded, over all uploads.' })
  rows!: number;

  @Field(() => Int, {
    description:
      'Changes whenever what queries can see changes (an upload starts or finishes loading); answers cached under another version are never served.',
  })
  dataVersion!: number;

  @Field(() => Date, { nullable: true, description: 'When the last upload finished loading.' })
  lastIngestAt!: Date | null;

  @Field({ description: 'When the first upload arrived.' })
  createdAt!: Date;
}

/** The one place a DatasetState becomes its GraphQL shape. */
export function toDatasetType(state: DatasetState): DatasetType {
  return {
    name: state.name,
    kind: state.kind,
    columns: [...state.columns].sort(),
    loadedUploads: state.loadedUploads,
    rows: state.rows,
    dataVersion: state.dataVersion,
    lastIngestAt: state.lastIngestAt,
    createdAt: state.createdAt,
  };
}
