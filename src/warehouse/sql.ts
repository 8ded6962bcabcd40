/**
 * SQL as a tagged template in which every `${value}` is a bound parameter, as clickhouse-js and
 * kysely do it. A nested `sql` fragment carries its own parameters and is renumbered when it is
 * spliced in, so fragments compose without a parameter accumulator passed between functions.
 *
 * Values become `{pN:Type}` placeholders: ClickHouse's server-side binding over HTTP, typed
 * literals on the embedded transport (see inline-params.ts). The type is inferred from the
 * JavaScript value, or named with `param(value, type)` where the column wants another one
 * (`DateTime`, `Decimal(18, 2)`, `UInt32`…).
 *
 * Text that is not a value (a table, a column, a registry's expression) enters only through
 * `trustedIdentifier` or `trustedSql`, both loudly named and meant for strings our own code
 * holds in its registries, never for anything a caller sent.
 */
export interface SqlFragment {
  readonly query: string;
  readonly params: Readonly<Record<string, unknown>>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A value with the ClickHouse type it binds as. */
export class SqlParam {
  constructor(
    readonly value: unknown,
    readonly type: string,
  ) {}
}

/** Text spliced verbatim: only built by `trustedIdentifier` / `trustedSql`. */
class TrustedText {
  constructor(readonly text: string) {}
}

type Piece = string | SqlParam | TrustedText;

/** A composable piece of SQL: text and bound values in order. Compile it once, at the warehouse. */
export class Sql {
  private constructor(private readonly pieces: readonly Piece[]) {}

  /** @internal Used by the `sql` tag and the helpers below. */
  static of(pieces: readonly Piece[]): Sql {
    return new Sql(pieces);
  }

  /** @internal */
  get parts(): readonly Piece[] {
    return this.pieces;
  }

  /** The text with `{pN:Type}` placeholders numbered from 0, and the values they bind. */
  compile(): SqlFragment {
    let query = '';
    const params: Record<string, unknown> = {};
    let counter = 0;
    for (const piece of this.pieces) {
      if (typeof piece === 'string') query += piece;
      else if (piece instanceof TrustedText) query += piece.text;
      else {
        const name = `p${counter++}`;
        params[name] = piece.value;
        query += `{${name}:${piece.type}}`;
      }
    }
    return { query, params };
  }

  /** Whether this fragment has no text at all (an absent WHERE condition, for instance). */
  get isEmpty(): boolean {
    return this.pieces.every((piece) => typeof piece === 'string' && piece.trim() === '');
  }
}

export type SqlValue = Sql | SqlParam | string | number | bigint | boolean | Date | readonly string[];

/** Tagged template: `sql\`SELECT … WHERE dataset = ${name}\``. */
export function sql(strings: TemplateStringsArray, ...values: readonly SqlValue[]): Sql {
  const pieces: Piece[] = [];
  strings.forEach((text, index) => {
    if (text) pieces.push(text);
    if (index >= values.length) return;
    const value = values[index];
    if (value === undefined) throw new Error('Cannot bind a value of type undefined; use param(value, type)');
    pieces.push(...piecesOf(value));
  });
  return Sql.of(pieces);
}

/** A value bound with an explicit ClickHouse type. */
export function param(value: unknown, type: string): SqlParam {
  if (!/^[A-Za-z][A-Za-z0-9_]*(\(.*\))?$/.test(type)) throw new Error(`Not a ClickHouse type: ${type}`);
  return new SqlParam(value, type);
}

/** A table or column name from our own registries or validated configuration. Never caller input. */
export function trustedIdentifier(name: string): Sql {
  if (!IDENTIFIER.test(name)) throw new Error(`Refusing unsafe SQL identifier: ${JSON.stringify(name)}`);
  return Sql.of([new TrustedText(name)]);
}

/** `database.table`, both parts from our own registries or validated configuration. */
export function trustedTable(database: string, table: string): Sql {
  return sql`${trustedIdentifier(database)}.${trustedIdentifier(table)}`;
}

/**
 * SQL text spliced as it is: only for expressions written in our own code (a KPI registry's
 * formula, an engine clause). Anything that reaches it from a request is an injection.
 */
export function trustedSql(text: string): Sql {
  return Sql.of([new TrustedText(text)]);
}

/** Fragments joined by a separator (`, `, ` AND `…). */
export function joinSql(fragments: readonly Sql[], separator = ', '): Sql {
  const pieces: Piece[] = [];
  fragments.forEach((fragment, index) => {
    if (index > 0) pieces.push(separator);
    pieces.push(...fragment.parts);
  });
  return Sql.of(pieces);
}

export const emptySql: Sql = Sql.of([]);

function piecesOf(value: SqlValue): readonly Piece[] {
  if (value instanceof Sql) return value.parts;
  if (value instanceof SqlParam) return [value];
  return [new SqlParam(value, inferType(value))];
}

/** The ClickHouse type a plain JavaScript value binds as. */
function inferType(value: Exclude<SqlValue, Sql | SqlParam>): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Bool';
  if (typeof value === 'bigint') return 'Int64';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot bind ${value}`);
    return Number.isSafeInteger(value) ? 'Int64' : 'Float64';
  }
  if (value instanceof Date) return "DateTime64(3, 'UTC')";
  if (Array.isArray(value)) {
    if (!value.every((item) => typeof item === 'string'))
      throw new Error('Only string arrays bind by inference');
    return 'Array(String)';
  }
  throw new Error(`Cannot bind a value of type ${typeof value}; use param(value, type)`);
}

/** Compiles a template or passes a compiled fragment through: what the warehouse accepts. */
export function toFragment(query: Sql | SqlFragment): SqlFragment {
  return query instanceof Sql ? query.compile() : query;
}
