/**
 * A KPI's expression, as the registry writes it in SQL over `{measure}` placeholders, parsed once
 * and evaluated in the gateway over the measures ClickHouse returns.
 *
 * Why not in SQL: each expression in a statement costs the embedded engine ~0.1–0.4 ms of
 * analysis, and a dashboard asks a dozen KPIs per row. The warehouse now returns measures only
 * (one aggregation level), and the formulas run here in microseconds. The SQL text remains the
 * definition — the breakdown ranking still orders by it in ClickHouse — so this evaluator follows
 * ClickHouse's arithmetic exactly; a property test holds it to the engine's answers.
 *
 * The grammar is the registry's: measures, integer literals, `+ - * /`, unary minus, parentheses
 * and `toFloat64(…)`. Anything else fails when the registry loads.
 */
type Node =
  | { readonly op: 'measure'; readonly id: string }
  | { readonly op: 'literal'; readonly value: bigint }
  | { readonly op: 'neg' | 'toFloat64'; readonly arg: Node }
  | { readonly op: '+' | '-' | '*' | '/'; readonly left: Node; readonly right: Node };

/** An exact integer or decimal (`units` × 10^-scale), as ClickHouse's Int/UInt/Decimal types; or a Float64. */
type Value = { readonly units: bigint; readonly scale: number } | number | null;

const TOKEN = /\s*(?:\{([A-Za-z0-9_]+)\}|(\d+)(?![.\d])|(toFloat64)(?=\s*\()|([-+*/()]))/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match) throw new Error(`KPI expression "${expression}": unsupported syntax at ${at}: "${expression.slice(at, at + 12)}"`);
    tokens.push(match[1] !== undefined ? `{${match[1]}}` : match[2] ?? match[3] ?? match[4]);
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
  const expect = (token: string) => (tokens[i] === token ? (i += 1) : fail(`expected "${token}" at token ${i}`));
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
    if (token.startsWith('{')) return { op: 'measure', id: token.slice(1, -1) };
    if (/^\d+$/.test(token)) return { op: 'literal', value: BigInt(token) };
    return fail(`unexpected "${token}"`);
  };
  // One precedence level: left-associative operators over the next tighter level.
  const level = (ops: readonly string[], next: () => Node) => (): Node => {
    let node = next();
    while (ops.includes(tokens[i])) {
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

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A measure as the warehouse layer returns it: 64-bit integers and decimals as exact strings,
 * 8–32-bit integers and floats as JSON numbers (a JSON integer is exact below 2^53, so it is
 * kept as a float: every operation on it is then exact, as in the engine).
 */
function valueOf(raw: unknown, id: string): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return raw;
  const match = typeof raw === 'string' ? DECIMAL.exec(raw) : null;
  if (!match) throw new Error(`Measure ${id} is not a number: ${String(raw)}`);
  const fraction = match[3] ?? '';
  return { units: BigInt(`${match[1]}${match[2]}${fraction}`), scale: fraction.length };
}

const TEN = 10n;
const rescale = (units: bigint, from: number, to: number): bigint => units * TEN ** BigInt(to - from);

/** Integer or decimal → Float64, rounded to the nearest double as the engine's conversion is. */
function toFloat(value: Exclude<Value, null>): number {
  return typeof value === 'number' ? value : Number(decimalText(value));
}

function decimalText(value: { units: bigint; scale: number }): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const text = value.scale === 0 ? digits : `${digits.slice(0, -value.scale)}.${digits.slice(-value.scale)}`;
  return negative ? `-${text}` : text;
}

function apply(node: Node, measure: (id: string) => unknown): Value {
  switch (node.op) {
    case 'measure':
      return valueOf(measure(node.id), node.id);
    case 'literal':
      return { units: node.value, scale: 0 };
    case 'neg': {
      const arg = apply(node.arg, measure);
      if (arg === null) return null;
      return typeof arg === 'number' ? -arg : { units: -arg.units, scale: arg.scale };
    }
    case 'toFloat64': {
      const arg = apply(node.arg, measure);
      return arg === null ? null : toFloat(arg);
    }
    default: {
      const left = apply(node.left, measure);
      const right = apply(node.right, measure);
      if (left === null || right === null) return null;
      // Integers and decimals stay exact under + - * (as Int/Decimal arithmetic does); `/` is
      // always a float division here, which is what the engine does for integers and floats.
      // Decimal ÷ decimal would be a decimal division in ClickHouse: the registry converts with
      // toFloat64 first, and the parity test would fail on a formula that did not.
      if (node.op !== '/' && typeof left !== 'number' && typeof right !== 'number') {
        if (node.op === '*') return { units: left.units * right.units, scale: left.scale + right.scale };
        const scale = Math.max(left.scale, right.scale);
        const a = rescale(left.units, left.scale, scale);
        const b = rescale(right.units, right.scale, scale);
        return { units: node.op === '+' ? a + b : a - b, scale };
      }
      const a = toFloat(left);
      const b = toFloat(right);
      return node.op === '+' ? a + b : node.op === '-' ? a - b : node.op === '*' ? a * b : a / b;
    }
  }
}

/** Evaluates a parsed formula; `measure` reads a measure's value from the warehouse's row. Null when a measure is null. */
export function evaluateFormula(formula: Node, measure: (id: string) => unknown): number | null {
  const value = apply(formula, measure);
  if (value === null) return null;
  // An exact value becomes a double once, as the engine's own decimal text would be read.
  return typeof value === 'number' ? value : Number(decimalText(value));
}

export type Formula = Node;
