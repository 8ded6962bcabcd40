/**
 * SQL as typed fragments: the text only ever contains identifiers taken from our registries,
 * and every value goes through `bind`, which becomes a server-side `{name:Type}` parameter.
 */
export interface SqlFragment {
  readonly query: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export class SqlParams {
  private counter = 0;
  private readonly values: Record<string, unknown> = {};

  /** Binds a value and returns its placeholder, e.g. `{p0:String}`. */
  bind(type: string, value: unknown): string {
    const name = `p${this.counter++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }

  fragment(query: string): SqlFragment {
    return { query, params: { ...this.values } };
  }
}

export function sql(query: string, params: Record<string, unknown> = {}): SqlFragment {
  return { query, params };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** For identifiers that come from our own code (database name from config, registry columns). */
export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Refusing unsafe SQL identifier: ${JSON.stringify(name)}`);
  return name;
}
