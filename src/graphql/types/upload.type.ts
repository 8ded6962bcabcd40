import { SafeIntResolver } from 'graphql-scalars';
import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { IsOptional, Max, Min } from 'class-validator';
import type { Upload } from '../../datasets/upload';
import { MAX_PAGE_SIZE } from '../../ingest/upload-ledger';
import { DatasetKind, UploadMode, UploadStatus } from './enums';

@ObjectType('UploadError', { description: 'Why an upload was rejected or failed.' })
export class UploadErrorType {
  @Field({
    description:
      'Stable code. The file: EMPTY_FILE, BAD_HEADER, INVALID_CSV (unbalanced quotes), INVALID_DATA (bad rows), TOO_MANY_BAD_ROWS (more than maxBadRows), NO_ROWS, UPLOAD_TOO_LARGE, LINE_TOO_LARGE, FIELD_TOO_LARGE, TOO_MANY_COLUMNS, REPLACE_TARGET_INVALID, DATASET_KIND_MISMATCH. The system (retryable): LOAD_FAILED, LOAD_NOT_STARTED, COUNT_MISMATCH, INTERRUPTED.',
  })
  code!: string;

  @Field({
    description: 'What was wrong, naming the line and column of the first bad row where there is one.',
  })
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

  @Field(() => UploadMode, { description: 'APPEND, or REPLACE (correcting the upload in `replaces`).' })
  mode!: string;

  @Field(() => SafeIntResolver, {
    description: 'Bad rows that could be skipped while loading the rest (0: any bad row rejects the upload).',
  })
  maxBadRows!: number;

  @Field(() => SafeIntResolver, { description: 'Size of the file in bytes.' })
  bytes!: number;

  @Field({ description: 'SHA-256 of the file, hex (the checksum duplicates are recognised by).' })
  sha256!: string;

  @Field(() => SafeIntResolver, { description: 'Rows loaded (0 unless LOADED).' })
  rowsLoaded!: number;

  @Field(() => SafeIntResolver, {
    description: 'Rows rejected: skipped (LOADED with maxBadRows) or the reason the upload was REJECTED.',
  })
  rowsRejected!: number;

  @Field(() => SafeIntResolver, {
    description: 'Problems found in all (a row can have several); `rowErrors` lists them.',
  })
  rowErrorCount!: number;

  @Field(() => [String], { description: 'Canonical columns found in the header.' })
  columns!: string[];

  @Field(() => [String], { description: 'Headers that map to no column and were ignored.' })
  ignoredColumns!: string[];

  @Field(() => UploadErrorType, { nullable: true, description: 'Set when REJECTED or FAILED.' })
  error!: UploadErrorType | null;

  @Field(() => ID, {
    nullable: true,
    description: 'When DUPLICATE: the upload that loaded the same content.',
  })
  duplicateOf!: string | null;

  @Field(() => ID, { nullable: true, description: 'When mode is REPLACE: the upload this one corrects.' })
  replaces!: string | null;

  @Field(() => ID, { nullable: true, description: 'When REPLACED: the upload that corrected this one.' })
  replacedBy!: string | null;

  @Field(() => Int, { description: 'Load attempts so far (a retry or a restart after a crash adds one).' })
  attempts!: number;

  @Field({ description: 'When the upload started.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the whole file was stored.' })
  receivedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When loading finished (any final status).' })
  finishedAt!: Date | null;

  @Field(() => Int, { description: 'Milliseconds spent receiving and storing the file.' })
  receiveMs!: number;

  @Field(() => Int, { description: 'Milliseconds spent validating and loading it into ClickHouse.' })
  loadMs!: number;

  @Field(() => Int, { description: 'receiveMs + loadMs.' })
  durationMs!: number;
}

/** The one place an Upload becomes its GraphQL shape. */
export function toUploadType(upload: Upload): UploadType {
  return {
    id: upload.id,
    dataset: upload.dataset,
    kind: upload.kind,
    objectKey: upload.objectKey,
    status: upload.status,
    mode: upload.mode,
    maxBadRows: upload.maxBadRows,
    bytes: upload.bytes,
    sha256: upload.sha256,
    rowsLoaded: upload.rowsLoaded,
    rowsRejected: upload.rowsRejected,
    rowErrorCount: upload.rowErrorCount,
    columns: [...upload.columns],
    ignoredColumns: [...upload.ignoredColumns],
    error: upload.errorCode ? { code: upload.errorCode, message: upload.errorMessage ?? '' } : null,
    duplicateOf: upload.duplicateOf,
    replaces: upload.replaces,
    replacedBy: upload.replacedBy,
    attempts: upload.attempts,
    createdAt: upload.createdAt,
    receivedAt: upload.receivedAt,
    finishedAt: upload.finishedAt,
    receiveMs: upload.receiveMs,
    loadMs: upload.loadMs,
    durationMs: upload.receiveMs + upload.loadMs,
  };
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
