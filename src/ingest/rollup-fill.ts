import type { DatasetKindDef, RollupLevel } from '../datasets/dataset-kinds';
import { joinSql, sql, trustedIdentifier, type Sql } from '../warehouse/sql';

/** What a fill needs of a kind: the registry entry (a toy kind in a test has one too). */
export type FillableKind = Pick<DatasetKindDef, 'rollups' | 'columns' | 'dimensions'>;

/** One target column of a fill: its name and the aggregate that computes it. */
interface FillColumn {
  readonly name: string;
  /** Over the upload's raw rows. */
  readonly fromRaw: Sql;
  /** Over a finer level's rows of the same upload. */
  readonly fromLevel: Sql;
}

/** Bucket functions by bucket length: buckets start on multiples of it since the epoch (UTC). */
const BUCKET_FUNCTIONS: ReadonlyMap<number, string> = new Map([
  [900_000, 'toStartOfFifteenMinutes'],
  [3_600_000, 'toStartOfHour'],
  [86_400_000, 'toStartOfDay'],
]);

function bucketOf(level: RollupLevel, column: Sql): Sql {
  const fn = BUCKET_FUNCTIONS.get(level.bucketMs);
  if (!fn) throw new Error(`No bucket function for ${level.bucketMs} ms buckets (rollup ${level.table})`);
  return sql`${trustedIdentifier(fn)}(${column})`;
}

/** The dimensions a level keeps in its key. */
export function keyOf(kind: FillableKind, level: RollupLevel): readonly string[] {
  const key = level.keyDimensions ?? kind.dimensions;
  if (!key) throw new Error(`Rollup ${level.table} keeps the kind's dimensions, and the kind names none`);
  return key;
}

/**
 * The measure columns of a level, by the convention every rollup follows
 * (docs/adding-a-dataset-kind.md): `transactions`; `<column>Sum` of each numeric column (an empty
 * cell adds 0) and `<column>Rows` of each optional one; `<column>Rows` of each optional column
 * outside the key; `<column>U`, the exact distinct state of each column the level lists.
 */
export function fillColumns(kind: FillableKind, level: RollupLevel): FillColumn[] {
  const key = new Set(keyOf(kind, level));
  const id = trustedIdentifier;
  const summed = (name: string, fromRaw: Sql): FillColumn => ({
    name,
    fromRaw,
    fromLevel: sql`sum(${id(name)})`,
  });
  const columns: FillColumn[] = [summed('transactions', sql`count()`)];
  for (const c of kind.columns) {
    const numeric = c.type === 'money' || c.type === 'quantity' || c.type === 'integer';
    if (numeric)
      columns.push(
        summed(`${c.name}Sum`, c.required ? sql`sum(${id(c.name)})` : sql`sum(ifNull(${id(c.name)}, 0))`),
      );
    if (!c.required && (numeric || !key.has(c.name)))
      columns.push(summed(`${c.name}Rows`, sql`count(${id(c.name)})`));
  }
  for (const c of level.distinctStates ?? [])
    columns.push({
      name: `${c}U`,
      fromRaw: sql`uniqExactState(${id(c)})`,
      fromLevel: sql`uniqExactMergeState(${id(`${c}U`)})`,
    });
  return columns;
}

/**
 * `INSERT INTO <level> (…) SELECT … FROM <source> GROUP BY …`: one upload's rows aggregated into
 * one rollup level. `source` holds only this upload's rows (its staging table, or a finer level
 * filled from it); `sourceLevel` is that finer level, absent when the source has raw rows.
 */
export function fillStatement(input: {
  kind: FillableKind;
  level: RollupLevel;
  target: Sql;
  source: Sql;
  sourceLevel?: RollupLevel;
}): Sql {
  const { kind, level, sourceLevel } = input;
  const key = keyOf(kind, level);
  const time = sourceLevel ? sourceLevel.timeColumn : 'time';
  const measures = fillColumns(kind, level);
  const names = ['dataset', level.timeColumn, ...key, 'upload_id', ...measures.map((m) => m.name)];
  const values = [
    sql`dataset`,
    sql`${bucketOf(level, trustedIdentifier(time))} AS ${trustedIdentifier(level.timeColumn)}`,
    ...key.map((d) => trustedIdentifier(d)),
    sql`upload_id`,
    ...measures.map((m) => sql`${sourceLevel ? m.fromLevel : m.fromRaw} AS ${trustedIdentifier(m.name)}`),
  ];
  const groups = ['dataset', level.timeColumn, ...key, 'upload_id'].map((n) => trustedIdentifier(n));
  return sql`INSERT INTO ${input.target} (${joinSql(names.map((n) => trustedIdentifier(n)))})
SELECT ${joinSql(values)}
FROM ${input.source}
GROUP BY ${joinSql(groups)}`;
}

/** The levels in the order they can be filled: a level after the level it is filled from. */
export function fillOrder(kind: FillableKind): RollupLevel[] {
  const fromRaw = kind.rollups.filter((l) => !l.from);
  const cascaded = kind.rollups.filter((l) => l.from);
  for (const level of cascaded) {
    const source = kind.rollups.find((l) => l.grain === level.from);
    if (!source || source.from)
      throw new Error(
        `Rollup ${level.table} is filled from ${level.from}, which is not filled from raw rows`,
      );
  }
  return [...fromRaw, ...cascaded];
}
