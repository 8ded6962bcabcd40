import type { SqlFragment } from './sql';

/**
 * Delivers bound parameters to chDB as typed literals. chDB serialises every query that carries
 * server-side parameters through one process-wide queue (its engine's parameter binding is not
 * safe in parallel), so with real binding a long load or slow KPI query stalls every other query
 * and the session pool cannot help (measured: three `sleep({d})` on three sessions take 3 s, three
 * `sleep(1)` take 1 s). Our SQL still binds every value as `{name:Type}`; only the embedded
 * transport turns them into literals, with every byte outside a small safe set hex-escaped, so no
 * value can end a literal or carry SQL. A ClickHouse server keeps real server-side binding.
 */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):([^{}]+)\}/g;
const SAFE_BYTE = /[A-Za-z0-9 _.,:;@+=-]/;

export function inlineParams(fragment: SqlFragment): string {
  return fragment.query.replace(PLACEHOLDER, (_match, name: string, type: string) => {
    if (!Object.prototype.hasOwnProperty.call(fragment.params, name))
      throw new Error(`No value bound for {${name}:${type}}`);
    return literal(fragment.params[name], type.trim());
  });
}

/** A ClickHouse string literal whose bytes are the UTF-8 of `text`. */
export function stringLiteral(text: string): string {
  let out = "'";
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && SAFE_BYTE.test(ch) ? ch : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}'`;
}

const INTEGER = /^(U?Int(8|16|32|64|128|256))$/;

function literal(value: unknown, type: string): string {
  const nullable = /^Nullable\((.*)\)$/.exec(type)?.[1];
  if (nullable !== undefined)
    return value === null || value === undefined ? `CAST(NULL AS ${type})` : literal(value, nullable);
  const item = /^Array\((.*)\)$/.exec(type)?.[1];
  if (item !== undefined) {
    if (!Array.isArray(value)) throw new Error(`Expected an array for ${type}`);
    return `CAST([${value.map((element) => literal(element, item)).join(', ')}] AS ${type})`;
  }
  if (value === null || value === undefined) throw new Error(`No value for non-nullable ${type}`);
  if (type === 'String') return stringLiteral(String(value));
  if (INTEGER.test(type)) {
    const text =
      typeof value === 'bigint'
        ? value.toString()
        : typeof value === 'number' && Number.isSafeInteger(value)
          ? String(value)
          : String(value);
    if (!/^-?\d{1,78}$/.test(text) || (type.startsWith('U') && text.startsWith('-')))
      throw new Error(`Not a valid ${type}: ${text}`);
    return text;
  }
  if (/^Decimal(32|64|128|256)?\(\d+(, *\d+)?\)$/.test(type)) {
    const text =
      typeof value === 'number' && Number.isFinite(value)
        ? String(value)
        : typeof value === 'string'
          ? value
          : '';
    if (!/^-?\d{1,76}(\.\d{1,76})?$/.test(text)) throw new Error(`Not a valid ${type}: ${String(value)}`);
    return `CAST(${stringLiteral(text)} AS ${type})`;
  }
  if (type === 'Float64' || type === 'Float32') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`Not a finite ${type}`);
    return `CAST(${stringLiteral(String(value))} AS ${type})`;
  }
  if (type === 'Bool') {
    if (typeof value !== 'boolean') throw new Error('Not a Bool');
    return value ? 'true' : 'false';
  }
  if (/^(Date|Date32|DateTime|DateTime64)(\(.*\))?$/.test(type)) {
    const text =
      value instanceof Date ? value.toISOString().replace('T', ' ').replace('Z', '') : String(value);
    return `CAST(${stringLiteral(text)} AS ${type})`;
  }
  throw new Error(`Cannot inline a parameter of type ${type}`);
}
