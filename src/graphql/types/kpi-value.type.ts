import { Field, Float, ObjectType } from 'type-graphql';
import { UnavailableReason } from './enums';

@ObjectType('KpiUnavailable', { description: 'Why a KPI has no value in this slice.' })
export class KpiUnavailableType {
  @Field(() => UnavailableReason, { description: 'Machine-readable reason.' })
  reason!: keyof typeof UnavailableReason;

  @Field(() => [String], { description: 'Columns the KPI needs that the slice lacks (empty when the reason is not about columns).' })
  missingColumns!: string[];

  @Field(() => Float, { nullable: true, description: 'Fraction (0–1) of the slice\'s rows that carry the needed columns, for PARTIAL_COVERAGE and MISSING_COLUMN.' })
  coverage!: number | null;

  @Field({ description: 'A sentence for people.' })
  message!: string;
}

@ObjectType('KpiValue', { description: 'A KPI over one slice: a number, or null with the reason.' })
export class KpiValueType {
  @Field(() => Float, { nullable: true, description: 'The value; null exactly when `unavailable` is set. Money is exact to the cent; ratios are fractions (0.25 = 25%).' })
  value!: number | null;

  @Field(() => KpiUnavailableType, { nullable: true, description: 'Why `value` is null; null when it has a value.' })
  unavailable!: KpiUnavailableType | null;
}
