import { SafeIntResolver } from 'graphql-scalars';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { MAX_ROW_ERRORS_PAGE } from '../../ingest/row-error-store';

@ObjectType('RowError', {
  description: 'One problem in an uploaded file: where it is and why the row was not accepted.',
})
export class RowErrorType {
  @Field(() => SafeIntResolver, {
    description: 'Physical line (1-based; the header is line 1) where the record starts.',
  })
  line!: number;

  @Field(() => SafeIntResolver, {
    nullable: true,
    description:
      'Data record number (1-based; differs from the line when quoted fields span lines); null for header problems.',
  })
  record!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The column as the file names it; null when the whole record is wrong (e.g. its number of fields).',
  })
  column!: string | null;

  @Field({ description: 'Why, e.g. "is not a decimal number with at most 4 decimal places".' })
  reason!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The offending text (up to 200 characters, made printable).',
  })
  value!: string | null;
}

@ArgsType()
export class RowErrorsArgs {
  @Field(() => Int, { defaultValue: 20, description: `How many (1–${MAX_ROW_ERRORS_PAGE}), in file order.` })
  @Min(1)
  @Max(MAX_ROW_ERRORS_PAGE)
  first!: number;

  @Field(() => Int, { defaultValue: 0, description: 'How many to skip.' })
  @Min(0)
  offset!: number;
}
