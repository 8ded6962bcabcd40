import { SafeIntResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { IsOptional, Max, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../ingest/upload-ledger';
import { DatasetKind, UploadStatus } from './enums';

@ObjectType('UploadError', { description: 'Why an upload was rejected or failed.' })
export class UploadErrorType {
  @Field({ description: 'Stable code: EMPTY_FILE, BAD_HEADER, NO_ROWS, INVALID_DATA (the file) or LOAD_FAILED (the system).' })
  code!: string;

  @Field({ description: 'What was wrong, naming the row and column where the engine could.' })
  message!: string;
}

@ObjectType('Upload', { description: 'One uploaded file and what became of it (the upload ledger).' })
export class UploadType {
  @Field(() => ID, { description: 'Upload id.' })
  id!: string;

  @Field({ description: 'Dataset it was uploaded to.' })
  dataset!: string;

  @Field(() => DatasetKind, { description: 'Kind of rows.' })
  kind!: string;

  @Field({ description: 'Object key in the upload bucket.' })
  objectKey!: string;

  @Field(() => UploadStatus, { description: 'Current status.' })
  status!: string;

  @Field(() => SafeIntResolver, { description: 'Size of the file in bytes.' })
  bytes!: number;

  @Field({ description: 'SHA-256 of the file, hex.' })
  sha256!: string;

  @Field(() => SafeIntResolver, { description: 'Rows loaded (0 unless LOADED).' })
  rowsLoaded!: number;

  @Field(() => SafeIntResolver, { description: 'Rows rejected.' })
  rowsRejected!: number;

  @Field(() => [String], { description: 'Canonical columns found in the header.' })
  columns!: string[];

  @Field(() => [String], { description: 'Headers that map to no column and were ignored.' })
  ignoredColumns!: string[];

  @Field(() => UploadErrorType, { nullable: true, description: 'Set when REJECTED or FAILED.' })
  error!: UploadErrorType | null;

  @Field({ description: 'When the upload started.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the whole file was stored.' })
  receivedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When loading finished (any final status).' })
  finishedAt!: Date | null;

  @Field(() => Int, { description: 'Milliseconds spent receiving and storing the file.' })
  receiveMs!: number;

  @Field(() => Int, { description: 'Milliseconds spent loading it into ClickHouse.' })
  loadMs!: number;
}

@ObjectType('PageInfo', { description: 'Where a page ends.' })
export class PageInfoType {
  @Field({ description: 'Whether more items follow.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}

@ObjectType('UploadConnection', { description: 'A page of uploads, newest first.' })
export class UploadConnectionType {
  @Field(() => [UploadType], { description: 'The uploads on this page.' })
  nodes!: UploadType[];

  @Field(() => PageInfoType, { description: 'Paging state.' })
  pageInfo!: PageInfoType;
}

@ArgsType()
export class UploadsArgs {
  @Field(() => ID, { nullable: true, description: 'Only this dataset.' })
  dataset?: string;

  @Field(() => UploadStatus, { nullable: true, description: 'Only this status.' })
  status?: keyof typeof UploadStatus;

  @Field(() => Int, { defaultValue: 20, description: `Page size (1–${MAX_PAGE_SIZE}).` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first!: number;

  @Field(() => String, { nullable: true, description: 'Cursor from a previous page.' })
  @IsOptional()
  after?: string;
}
