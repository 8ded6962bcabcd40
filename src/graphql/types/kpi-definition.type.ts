import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { MaxLength } from 'class-validator';
import { DatasetKind, KpiUnit } from './enums';
import { KpiUnavailableType } from './kpi-value.type';
import { TimeRangeInput } from './sales-report.args';

@ObjectType('KpiSupport', { description: 'Whether a dataset (over a range, when given) supports a KPI.' })
export class KpiSupportType {
  @Field({ description: 'True when the KPI would resolve to a number.' })
  supported!: boolean;

  @Field(() => KpiUnavailableType, { nullable: true, description: 'Why not, when it is not supported.' })
  unavailable!: KpiUnavailableType | null;
}

@ObjectType('KpiDefinition', { description: 'One KPI of the catalog.' })
export class KpiDefinitionType {
  @Field({ description: 'The KPI field name in reports, e.g. netSales.' })
  id!: string;

  @Field({ description: 'The KPI as an enum value (e.g. NET_SALES), as used by `orderBy`.' })
  enumValue!: string;

  @Field(() => DatasetKind, { description: 'Kind of dataset the KPI is defined for.' })
  kind!: string;

  @Field({ description: 'What it means.' })
  description!: string;

  @Field(() => KpiUnit, { description: 'Unit of the value.' })
  unit!: string;

  @Field({ description: 'The formula, over the canonical columns.' })
  formula!: string;

  @Field(() => [String], { description: 'Columns every row of a slice must carry for the KPI to resolve.' })
  needs!: string[];

  @Field({ description: 'Whether breakdowns give it a `share` of the slice total.' })
  shareable!: boolean;

  @Field(() => KpiSupportType, {
    nullable: true,
    description: 'Whether the dataset given to `kpiCatalog` supports it; null when no dataset was given.',
  })
  support!: KpiSupportType | null;
}

@ArgsType()
export class KpiCatalogArgs {
  @Field(() => ID, { nullable: true, description: 'Say whether this dataset supports each KPI.' })
  @MaxLength(63)
  dataset?: string;

  @Field(() => TimeRangeInput, {
    nullable: true,
    description:
      'With `dataset`: judge support over this range (row coverage) instead of over the dataset as a whole (columns uploaded).',
  })
  range?: TimeRangeInput;
}
