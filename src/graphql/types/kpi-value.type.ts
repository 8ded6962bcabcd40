import { Field, Float, ObjectType } from 'type-graphql';
import { UnavailableReason } from './enums';

@ObjectType('KpiUnavailable', { description: 'Why a KPI has no value in this slice.' })
export class KpiUnavailableType {
  @Field(() => UnavailableReason, { description: 'Machine-readable reason.' })
  reason!: keyof typeof UnavailableReason;

  @Field(() => [String], {
    description: 'Columns the KPI needs that the slice lacks (empty when the reason is not about columns).',
  })
  missingColumns!: string[];

  @Field(() => Float, {
    nullable: true,
    description:
      "Fraction (0–1) of the slice's rows that carry the needed columns, for PARTIAL_COVERAGE and MISSING_COLUMN.",
  })
  coverage!: number | null;

  @Field(() => [String], {
    description:
      'For MISSING_REGISTRY: the first constituencies (sorted, at most 20) with rows in the slice but no registry row; the message gives the total. Empty otherwise.',
  })
  missingKeys!: string[];

  @Field({ description: 'A sentence for people.' })
  message!: string;
}

@ObjectType('KpiComparison', { description: 'A KPI next to its value over an earlier window.' })
export class KpiComparisonType {
  @Field(() => Float, {
    nullable: true,
    description: 'The value over the comparison window; null when `unavailable` says why.',
  })
  previous!: number | null;

  @Field(() => Float, { nullable: true, description: 'value − previous; null when either is null.' })
  change!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'change / |previous| × 100; null when either is null or previous is 0.',
  })
  changePercent!: number | null;

  @Field(() => KpiUnavailableType, {
    nullable: true,
    description:
      "Why `previous` or `changePercent` is null (NO_PRIOR_PERIOD, ZERO_DENOMINATOR, or the previous window's own reason).",
  })
  unavailable!: KpiUnavailableType | null;
}

@ObjectType('KpiValue', { description: 'A KPI over one slice: a number, or null with the reason.' })
export class KpiValueType {
  @Field(() => Float, {
    nullable: true,
    description:
      'The value; null exactly when `unavailable` is set. Money is exact to the cent; ratios are fractions (0.25 = 25%).',
  })
  value!: number | null;

  @Field(() => KpiUnavailableType, {
    nullable: true,
    description: 'Why `value` is null; null when it has a value.',
  })
  unavailable!: KpiUnavailableType | null;

  @Field(() => KpiComparisonType, {
    nullable: true,
    description:
      'The comparison with an earlier window, when `totals(compare:)` asked for one; otherwise null.',
  })
  comparison!: KpiComparisonType | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "In breakdowns: this group's value as a fraction of the same KPI over the whole slice (money, counts and quantities; null for ratios, outside breakdowns, or when either value is null).",
  })
  share!: number | null;
}
