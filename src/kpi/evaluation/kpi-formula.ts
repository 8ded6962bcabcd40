/**
 * A KPI's expression, as its definition writes it in SQL over `{measure}` placeholders, parsed once
 * and evaluated in the gateway over the measures ClickHouse returns.
 *
 * Why not in SQL: every expression in a statement adds to the engine's analysis of it, and a
 * dashboard asks a dozen KPIs per row (measured: docs/architecture.md, "Measured reasons"). The
 * warehouse returns measures only (one aggregation level), and the formulas run here. The SQL text remains the
 * definition — the breakdown ranking still orders by it in ClickHouse — so this evaluator follows
 * ClickHouse's arithmetic exactly; a property test holds it to the engine's answers.
 *
 * The grammar is the KPI definitions': measures, integer literals, `+ - * /`, unary minus, parentheses
 * and `toFloat64(…)`. Anything else fails when the kind's definition loads.
 */
type Node =
  | { readonly op: 'measure'; readonly id: string; readonly key: string }
  | { readonly op: 'literal'; readonly value: number }
  | { readonly op: 'neg' | 'toFloat64'; readonly arg: Node }
  | { readonly op: '+' | '-' | '*' | '/'; readonly left: Node; readonly right: Node };

/** An exact integer or decimal (`units` × 10^-scale), as ClickHouse's Int/UInt/Decimal types; or a Float64. */
type Value = { readonly units: number | bigint; readonly scale: number } | number | null;

const TOKEN = /\s*(?:\{([A-Za-z0-9_]+)\}|(\d+)(?![.\d])|(toFloat64)(?=\s*\()|([-+*/()]))/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match)
      throw new Error(
        `KPI expression "${expression}": unsupported syntax at ${at}: "${expression.slice(at, at + 12)}"`,
      );
    tokens.push(match[1] !== undefined ? `{${match[1]}}` : (match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return tokens;
}

/** Recursive descent with SQL's precedence: unary minus, then `* /`, then `+ -`, left-associative. */
export function parseFormula(expression: string): Node {
  const tokens = tokenize(expression);
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`KPI expression "${expression}": ${why}`);
  };
  const expect = (token: string) =>
    tokens[i] === token ? (i += 1) : fail(`expected "${token}" at token ${i}`);
  const primary = (): Node => {
    const token = tokens[i++] ?? fail('unexpected end');
    if (token === '-') return { op: 'neg', arg: primary() };
    if (token === '(') {
      const inner = sum();
      expect(')');
      return inner;
    }
    if (token === 'toFloat64') {
      expect('(');
      const arg = sum();
      expect(')');
      return { op: 'toFloat64', arg };
    }
    if (token.startsWith('{'))
      return { op: 'measure', id: token.slice(1, -1), key: `m_${token.slice(1, -1)}` };
    if (/^\d{1,15}$/.test(token)) return { op: 'literal', value: Number(token) };
    return fail(`unexpected "${token}"`);
  };
  // One precedence level: left-associative operators over the next tighter level.
  const level = (ops: readonly string[], next: () => Node) => (): Node => {
    let node = next();
    while (ops.includes(tokens[i] ?? '')) {
      const op = tokens[i++] as '+' | '-' | '*' | '/';
      node = { op, left: node, right: next() };
    }
    return node;
  };
  const product = level(['*', '/'], primary);
  const sum = level(['+', '-'], product);
  const root = sum();
  if (i !== tokens.length) fail(`unexpected "${tokens[i]}"`);
  return root;
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * A measure as the warehouse layer returns it: 64-bit integers and decimals as exact strings,
 * 8–32-bit integers and floats as JSON numbers (a JSON integer is exact below 2^53, so it is
 * kept as a float: every operation on it is then exact, as in the engine).
 */
function valueOf(raw: unknown, key: string): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string' || !DECIMAL.test(raw))
    throw new Error(`Measure ${key} is not a number: ${String(raw)}`);
  const dot = raw.indexOf('.');
  const digits = dot < 0 ? raw : raw.slice(0, dot) + raw.slice(dot + 1);
  // Up to 15 digits are an exact double; longer ones are kept as a bigint.
  return {
    units: digits.length <= 15 ? Number(digits) : BigInt(digits),
    scale: dot < 0 ? 0 : raw.length - dot - 1,
  };
}

type Exact = Exclude<Value, number | null>;
const big = (units: number | bigint): bigint => (typeof units === 'bigint' ? units : BigInt(units));
const safe = (n: number): boolean => Number.isSafeInteger(n);

/** Exact + - *: in doubles while every step stays a safe integer (the common case), else in bigints. */
function exact(op: '+' | '-' | '*', left: Exact, right: Exact): Exact {
  if (op === '*') {
    const scale = left.scale + right.scale;
    if (typeof left.units === 'number' && typeof right.units === 'number' && safe(left.units * right.units))
      return { units: left.units * right.units, scale };
    return { units: big(left.units) * big(right.units), scale };
  }
  const scale = Math.max(left.scale, right.scale);
  if (typeof left.units === 'number' && typeof right.units === 'number') {
    const a = left.units * 10 ** (scale - left.scale);
    const b = right.units * 10 ** (scale - right.scale);
    const result = op === '+' ? a + b : a - b;
    if (safe(a) && safe(b) && safe(result)) return { units: result, scale };
  }
  const a = big(left.units) * 10n ** BigInt(scale - left.scale);
  const b = big(right.units) * 10n ** BigInt(scale - right.scale);
  return { units: op === '+' ? a + b : a - b, scale };
}

/** Integer or decimal → Float64, the nearest double to the exact value, as the engine's conversion gives. */
function toFloat(value: Exclude<Value, null>): number {
  if (typeof value === 'number') return value;
  // A safe integer divided by an exact power of ten is correctly rounded, like reading the decimal text.
  if (typeof value.units === 'number' && value.scale <= 22) return value.units / 10 ** value.scale;
  return Number(decimalText(big(value.units), value.scale));
}

function decimalText(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

const parsedRows = new WeakMap<object, Map<string, Value>>();

function apply(node: Node, row: Readonly<Record<string, unknown>>): Value {
  switch (node.op) {
    case 'measure': {
      // A row's measures are read by several KPIs: each is parsed once per row.
      let parsed = parsedRows.get(row);
      if (!parsed) parsedRows.set(row, (parsed = new Map()));
      let value = parsed.get(node.key);
      if (value === undefined) parsed.set(node.key, (value = valueOf(row[node.key], node.key)));
      return value;
    }
    case 'literal':
      return { units: node.value, scale: 0 };
    case 'neg': {
      const arg = apply(node.arg, row);
      if (arg === null) return null;
      return typeof arg === 'number' ? -arg : { units: -arg.units, scale: arg.scale };
    }
    case 'toFloat64': {
      const arg = apply(node.arg, row);
      return arg === null ? null : toFloat(arg);
    }
    default: {
      const left = apply(node.left, row);
      const right = apply(node.right, row);
      if (left === null || right === null) return null;
      // Integers and decimals stay exact under + - * (as Int/Decimal arithmetic does); `/` is
      // always a float division here, which is what the engine does for integers and floats.
      // Decimal ÷ decimal would be a decimal division in ClickHouse: the KPI definitions convert with
      // toFloat64 first, and the parity test would fail on a formula that did not.
      if (node.op !== '/' && typeof left !== 'number' && typeof right !== 'number')
        return exact(node.op, left, right);
      const a = toFloat(left);
      const b = toFloat(right);
      return node.op === '+' ? a + b : node.op === '-' ? a - b : node.op === '*' ? a * b : a / b;
    }
  }
}

/**
 * Evaluates a parsed formula over a row of the warehouse (measures under their `m_` aliases).
 * Null when a measure is null. An exact result becomes a double once, as the engine's decimal
 * text would be read.
 */
export function evaluateFormula(formula: Node, row: Readonly<Record<string, unknown>>): number | null {
  const value = apply(formula, row);
  return value === null ? null : toFloat(value);
}

export type Formula = Node;
