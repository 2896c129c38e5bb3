/**
 * XPath 2.0 values for the compiled rules, without a type annotation on each item: the JavaScript type says it.
 *   xs:string → string, xs:double → number, xs:integer → bigint, xs:decimal → Decimal, xs:boolean → boolean,
 *   xs:date → XDate, xs:untypedAtomic → a node (its string value; documents are not schema-typed, so every node
 *   atomizes to untypedAtomic) or Untyped (a computed one).
 * The rules below are those of XPath 2.0 §3.5 (comparisons) and §3.4 (arithmetic) and Functions & Operators 1.0 §17
 * (casting): untypedAtomic becomes xs:double in arithmetic and against numbers, a string against strings; decimal
 * arithmetic is exact.
 */
import { Decimal as DecimalBase } from 'decimal.js';
import { Kind, XNode } from './light-tree.js';

// Additions and products of invoice amounts are exact at this precision; only division rounds (see `divide`).
export const Decimal = DecimalBase.clone({ precision: 60, rounding: DecimalBase.ROUND_HALF_EVEN, toExpNeg: -100, toExpPos: 100 });
export type Decimal = DecimalBase;

export class Untyped {
  constructor(readonly s: string) {}
}

export class XDate {
  constructor(
    /** Days since 1970-01-01 of the date (timezone ignored when comparing; see the report). */
    readonly day: number,
    readonly lexical: string,
  ) {}
}

export type Atomic = string | number | bigint | boolean | Decimal | Untyped | XDate | XNode;
export type Item = Atomic;
export type Seq = Item[];

/** A dynamic error, with the XPath error code Saxon would give (the layer then reports SCHEMATRON-ERROR). */
export class XPathError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const EMPTY: Seq = Object.freeze([]) as unknown as Seq;
export const TRUE: Seq = Object.freeze([true]) as unknown as Seq;
export const FALSE: Seq = Object.freeze([false]) as unknown as Seq;

export const isNode = (x: unknown): x is XNode => x instanceof XNode;
const isUntyped = (x: Atomic): x is XNode | Untyped => x instanceof XNode || x instanceof Untyped;
const isNumeric = (x: Atomic): x is number | bigint | Decimal => typeof x === 'number' || typeof x === 'bigint' || x instanceof Decimal;

export function stringOf(x: Item): string {
  switch (typeof x) {
    case 'string':
      return x;
    case 'number':
      return doubleToString(x);
    case 'bigint':
      return x.toString();
    case 'boolean':
      return x ? 'true' : 'false';
  }
  if (x instanceof XNode) return x.value;
  if (x instanceof Untyped) return x.s;
  if (x instanceof Decimal) return decimalToString(x);
  return x.lexical;
}

export function decimalToString(d: Decimal): string {
  const s = d.toFixed();
  return s === '-0' ? '0' : s;
}

// F&O 1.0 §17.1.2: xs:double to string.
export function doubleToString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'INF';
  if (x === -Infinity) return '-INF';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const abs = Math.abs(x);
  if (abs >= 1e-6 && abs < 1e6) {
    const s = String(x);
    if (!s.includes('e')) return s;
    return new Decimal(x).toFixed();
  }
  const [mantissa, exp] = x.toExponential().split('e');
  return `${mantissa!.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exp)}`;
}

/** Effective boolean value (XPath 2.0 §2.4.3). */
export function ebv(seq: Seq): boolean {
  if (seq.length === 0) return false;
  const first = seq[0]!;
  if (first instanceof XNode) return true;
  if (seq.length > 1) throw new XPathError('FORG0006', 'effective boolean value of a sequence of more than one atomic value');
  switch (typeof first) {
    case 'boolean':
      return first;
    case 'string':
      return first.length > 0;
    case 'number':
      return first !== 0 && !Number.isNaN(first);
    case 'bigint':
      return first !== 0n;
  }
  if (first instanceof Untyped) return first.s.length > 0;
  if (first instanceof Decimal) return !first.isZero();
  throw new XPathError('FORG0006', 'effective boolean value of a date');
}

// ---- casts (F&O 1.0 §17) ----

const DECIMAL_LEXICAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const DOUBLE_LEXICAL = /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|-?INF|\+INF|NaN)$/;
const INTEGER_LEXICAL = /^[+-]?\d+$/;
const DATE_LEXICAL = /^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
// XSD whitespace collapse for the lexical forms of the non-string types.
const trim = (s: string): string => s.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '');

const castError = (value: string, type: string) => new XPathError('FORG0001', `Cannot convert string "${value}" to ${type}`);

export function parseDouble(s: string): number | undefined {
  const t = trim(s);
  if (!DOUBLE_LEXICAL.test(t)) return undefined;
  if (t === 'INF' || t === '+INF') return Infinity;
  if (t === '-INF') return -Infinity;
  if (t === 'NaN') return NaN;
  return Number(t);
}

export function toDouble(x: Atomic): number {
  if (typeof x === 'number') return x;
  if (x instanceof XNode) return x.asDouble ?? (x.asDouble = stringToDouble(x.value));
  if (typeof x === 'bigint') return Number(x);
  if (x instanceof Decimal) return x.toNumber();
  if (typeof x === 'boolean') return x ? 1 : 0;
  return stringToDouble(stringOf(x));
}

function stringToDouble(s: string): number {
  const d = parseDouble(s);
  if (d === undefined) throw castError(s, 'xs:double');
  return d;
}

export function toDecimal(x: Atomic): Decimal {
  if (x instanceof Decimal) return x;
  if (x instanceof XNode) return (x.asDecimal as Decimal | undefined) ?? (x.asDecimal = stringToDecimal(x.value));
  if (typeof x === 'bigint') return new Decimal(x.toString());
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new XPathError('FOCA0002', `Cannot convert ${x} to xs:decimal`);
    return new Decimal(x);
  }
  if (typeof x === 'boolean') return new Decimal(x ? 1 : 0);
  return stringToDecimal(stringOf(x));
}

function stringToDecimal(s: string): Decimal {
  const t = trim(s);
  if (!DECIMAL_LEXICAL.test(t)) throw castError(s, 'xs:decimal');
  return new Decimal(t.endsWith('.') ? t.slice(0, -1) : t);
}

export function toInteger(x: Atomic): bigint {
  if (typeof x === 'bigint') return x;
  if (x instanceof Decimal) return BigInt(x.trunc().toFixed());
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new XPathError('FOCA0002', `Cannot convert ${x} to xs:integer`);
    return BigInt(Math.trunc(x));
  }
  if (typeof x === 'boolean') return x ? 1n : 0n;
  const s = stringOf(x);
  const t = trim(s);
  if (!INTEGER_LEXICAL.test(t)) throw castError(s, 'xs:integer');
  return BigInt(t);
}

export function toBoolean(x: Atomic): boolean {
  if (typeof x === 'boolean') return x;
  if (isNumeric(x)) return ebv([x]);
  const s = trim(stringOf(x));
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw castError(stringOf(x), 'xs:boolean');
}

function daysFromCivil(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

export function toDate(x: Atomic): XDate {
  if (x instanceof XDate) return x;
  if (typeof x !== 'string' && !isUntyped(x)) throw new XPathError('XPTY0004', `Cannot cast ${typeof x} to xs:date`);
  const s = stringOf(x);
  const t = trim(s);
  const m = DATE_LEXICAL.exec(t);
  if (!m) throw castError(s, 'xs:date');
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const day = daysFromCivil(y, mo, d);
  // Date.UTC rolls over (2024-02-30 → March 1): the date must round-trip.
  const back = new Date(day * 86_400_000);
  if (mo < 1 || mo > 12 || back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) throw castError(s, 'xs:date');
  if (m[4] && m[4] !== 'Z') throw new XPathError('FFCS0001', 'dates with a timezone offset are not supported by the compiled rules');
  return new XDate(day, t);
}

export function castable(x: Atomic, cast: (x: Atomic) => unknown): boolean {
  try {
    cast(x);
    return true;
  } catch (err) {
    if (err instanceof XPathError && err.code !== 'FFCS0001') return false;
    throw err;
  }
}

// ---- comparisons (XPath 2.0 §3.5) ----

export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

function ordered(op: CompareOp, c: number): boolean {
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
  }
}

function compareNumbers(op: CompareOp, a: number | bigint | Decimal, b: number | bigint | Decimal): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toDouble(a);
    const y = toDouble(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return op === 'ne';
    return ordered(op, x < y ? -1 : x > y ? 1 : 0);
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return ordered(op, a < b ? -1 : a > b ? 1 : 0);
  return ordered(op, toDecimal(a).cmp(toDecimal(b)));
}

const compareStrings = (op: CompareOp, a: string, b: string): boolean => ordered(op, a < b ? -1 : a > b ? 1 : 0);

/** Value comparison of two atomic values, after the general comparison's untypedAtomic rule when `general`. */
export function compareAtomic(op: CompareOp, a: Atomic, b: Atomic, general: boolean): boolean {
  const ua = isUntyped(a);
  const ub = isUntyped(b);
  if (ua || ub) {
    if (ua && ub) return compareStrings(op, stringOf(a), stringOf(b));
    const other = ua ? b : a;
    // XPath 2.0 §3.5.2: in a general comparison untypedAtomic takes the other's type (xs:double if numeric);
    // in a value comparison (§3.5.1) it is a string.
    let cast: Atomic;
    if (!general || typeof other === 'string') cast = stringOf(ua ? a : b);
    else if (isNumeric(other)) cast = toDouble(ua ? a : b);
    else if (typeof other === 'boolean') cast = toBoolean(ua ? a : b);
    else cast = toDate(ua ? a : b);
    return ua ? compareAtomic(op, cast, b, false) : compareAtomic(op, a, cast, false);
  }
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(op, a, b);
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(op, a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return ordered(op, Number(a) - Number(b));
  if (a instanceof XDate && b instanceof XDate) return ordered(op, a.day - b.day);
  throw new XPathError('XPTY0004', `Cannot compare ${typeName(a)} with ${typeName(b)}`);
}

export function typeName(x: Atomic): string {
  if (typeof x === 'string') return 'xs:string';
  if (typeof x === 'number') return 'xs:double';
  if (typeof x === 'bigint') return 'xs:integer';
  if (typeof x === 'boolean') return 'xs:boolean';
  if (x instanceof Decimal) return 'xs:decimal';
  if (x instanceof XDate) return 'xs:date';
  return 'xs:untypedAtomic';
}

/** General comparison: true if some pair of the atomized operands compares true. */
export function generalCompare(op: CompareOp, a: Seq, b: Seq): boolean {
  // Code lists (`@currencyID = $ISO4217`, 180 codes): a set of the strings, once per sequence.
  if (op === 'eq' && b.length > 8) {
    const set = stringSet(b);
    if (set) {
      let rest = false;
      // Indexed loops: this runs for most asserts, and for-of here made an iterator result per item (heap profile).
      for (let i = 0; i < a.length; i++) {
        const x = a[i]!;
        if (typeof x === 'string' || x instanceof XNode || x instanceof Untyped) {
          if (set.has(stringOf(x))) return true;
        } else rest = true;
      }
      if (!rest) return false;
    }
  }
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) if (compareAtomic(op, a[i]!, b[j]!, true)) return true;
  return false;
}

const stringSets = new WeakMap<Seq, Set<string> | null>();
function stringSet(seq: Seq): Set<string> | null {
  let set = stringSets.get(seq);
  if (set === undefined) {
    set = seq.every((x) => typeof x === 'string') ? new Set(seq as string[]) : null;
    stringSets.set(seq, set);
  }
  return set;
}

/** Value comparison: empty if an operand is empty, an error if one has more than one item. */
export function valueCompare(op: CompareOp, a: Seq, b: Seq): Seq {
  if (a.length === 0 || b.length === 0) return EMPTY;
  if (a.length > 1 || b.length > 1) throw new XPathError('XPTY0004', 'a value comparison needs single values');
  return compareAtomic(op, a[0]!, b[0]!, false) ? TRUE : FALSE;
}

// ---- arithmetic (XPath 2.0 §3.4) ----

export type ArithOp = '+' | '-' | '*' | 'div' | 'idiv' | 'mod';

function numericOperand(x: Atomic): number | bigint | Decimal {
  if (isUntyped(x)) return toDouble(x);
  if (isNumeric(x)) return x;
  throw new XPathError('XPTY0004', `Arithmetic on ${typeName(x)}`);
}

export function arithmetic(op: ArithOp, a: Seq, b: Seq): Seq {
  if (a.length === 0 || b.length === 0) return EMPTY;
  if (a.length > 1 || b.length > 1) throw new XPathError('XPTY0004', 'arithmetic on a sequence of more than one item');
  return [arith(op, numericOperand(a[0]!), numericOperand(b[0]!))];
}

export function arith(op: ArithOp, x: number | bigint | Decimal, y: number | bigint | Decimal): number | bigint | Decimal {
  if (typeof x === 'number' || typeof y === 'number') {
    const p = toDouble(x);
    const q = toDouble(y);
    switch (op) {
      case '+':
        return p + q;
      case '-':
        return p - q;
      case '*':
        return p * q;
      case 'div':
        return p / q;
      case 'mod':
        return p % q;
      case 'idiv':
        if (q === 0 || !Number.isFinite(p)) throw new XPathError('FOAR0001', 'Integer division by zero');
        return BigInt(Math.trunc(p / q));
    }
  }
  if (typeof x === 'bigint' && typeof y === 'bigint' && op !== 'div') {
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case 'mod':
        if (y === 0n) throw new XPathError('FOAR0001', 'Division by zero');
        return x % y;
      case 'idiv':
        if (y === 0n) throw new XPathError('FOAR0001', 'Integer division by zero');
        return x / y;
    }
  }
  const p = toDecimal(x);
  const q = toDecimal(y);
  switch (op) {
    case '+':
      return p.plus(q);
    case '-':
      return p.minus(q);
    case '*':
      return p.times(q);
    case 'div':
      if (q.isZero()) throw new XPathError('FOAR0001', 'Decimal divide by zero');
      return divide(p, q);
    case 'mod':
      if (q.isZero()) throw new XPathError('FOAR0001', 'Decimal divide by zero');
      return p.mod(q);
    default:
      if (q.isZero()) throw new XPathError('FOAR0001', 'Integer division by zero');
      return BigInt(p.div(q).trunc().toFixed());
  }
}

/**
 * Decimal division. Exact when the quotient terminates within the precision; otherwise rounded to 60 significant
 * digits, where Saxon keeps a fixed number of decimal places. The rules only divide by 100 and by percentages, whose
 * quotients are exact; a rule comparing a non-terminating quotient exactly could differ (see the report).
 */
function divide(p: Decimal, q: Decimal): Decimal {
  return p.div(q);
}

export function negate(x: Atomic): Atomic {
  const n = numericOperand(x);
  if (typeof n === 'number') return -n;
  if (typeof n === 'bigint') return -n;
  return n.neg();
}

export function atomicOf(item: Item): Atomic {
  return item;
}

export const nodeOrder = (a: XNode, b: XNode): number => a.pos - b.pos;

/** Sorts nodes into document order without duplicates, unless they already are. */
export function documentOrder(nodes: XNode[]): XNode[] {
  for (let i = 1; i < nodes.length; i++) {
    if (nodes[i]!.pos <= nodes[i - 1]!.pos) {
      const sorted = [...new Set(nodes)].sort(nodeOrder);
      return sorted;
    }
  }
  return nodes;
}

export const isAttribute = (n: XNode): boolean => n.kind === Kind.Attribute;
