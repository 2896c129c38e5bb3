/**
 * The XPath 2.0 functions (Functions & Operators 1.0) the CEN and Peppol rules call, over the values of
 * xpath-values.ts. Arguments arrive evaluated; the function conversion rules (XPath 2.0 §3.1.5) are applied here:
 * an xs:string? parameter takes a string or untypedAtomic and raises XPTY0004 for more than one item or for a number,
 * as Saxon does.
 */
import { Kind, XNode } from './light-tree.js';
import type { Env } from './xpath-compiler.js';
import {
  arith,
  compareAtomic,
  Decimal,
  EMPTY,
  parseDouble,
  stringOf,
  toDouble,
  typeName,
  Untyped,
  XPathError,
  type Atomic,
  type Item,
  type Seq,
} from './xpath-values.js';

export interface Builtin {
  min: number;
  max: number;
  impl: (args: Seq[], item: Item, pos: number, size: number, env: Env) => Seq;
}

export function optionalString(seq: Seq | undefined, fn: string): string {
  if (seq === undefined || seq.length === 0) return '';
  if (seq.length > 1) throw new XPathError('XPTY0004', `A sequence of more than one item is not allowed as an argument of ${fn}()`);
  const x = seq[0]!;
  if (typeof x === 'string' || x instanceof XNode || x instanceof Untyped) return stringOf(x);
  throw new XPathError('XPTY0004', `${fn}() expects xs:string, not ${typeName(x)}`);
}

function single(seq: Seq, fn: string): Atomic | undefined {
  if (seq.length > 1) throw new XPathError('XPTY0004', `A sequence of more than one item is not allowed as an argument of ${fn}()`);
  return seq[0];
}

function numeric(x: Atomic, fn: string): number | bigint | Decimal {
  if (x instanceof XNode || x instanceof Untyped) return toDouble(x);
  if (typeof x === 'number' || typeof x === 'bigint' || x instanceof Decimal) return x;
  throw new XPathError('XPTY0004', `${fn}() expects a number, not ${typeName(x)}`);
}

/**
 * normalize-space()'s string. Of one node it is kept on the node: the CEN rules normalise the same `cbc:ID` of every
 * tax category once per category code and rule (BR-AE-01, BR-E-01, … scan them all), and the tree does not change.
 */
export function normalizedString(args: Seq[], item: Item): string {
  const node = soleNode(args, item);
  if (node) return (node.normalized ??= normalizeSpace(node.value));
  return normalizeSpace(contextString(args, item, 'normalize-space'));
}

/** The one node a string function of zero or one argument reads (the context item, or its argument), if it is one. */
function soleNode(args: Seq[], item: Item): XNode | undefined {
  const seq = args.length === 0 ? (item === undefined ? undefined : [item]) : args[0]!;
  const x = seq?.length === 1 ? seq[0] : undefined;
  return x instanceof XNode ? x : undefined;
}

/**
 * Whether normalize-space() would leave anything: of one element or attribute, a scan of its text for a character other
 * than XPath's white space (#x20 #x9 #xD #xA), without building a string (Peppol asks it of every element).
 */
export function nonBlank(args: Seq[], item: Item): boolean {
  const node = soleNode(args, item);
  if (node && (node.kind === Kind.Element || node.kind === Kind.Attribute)) {
    const text = node.kind === Kind.Element ? node.doc.text : node.attrValue;
    const [from, to] = node.kind === Kind.Element ? [node.start, node.end] : [0, text.length];
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return true;
    }
    return false;
  }
  return normalizedString(args, item) !== '';
}

export const contextString = (args: Seq[], item: Item, fn: string): string => {
  if (args.length === 0) {
    if (item === undefined) throw new XPathError('XPDY0002', `${fn}(): no context item`);
    return stringOf(item);
  }
  return optionalString(args[0], fn);
};

const str = (impl: (...s: string[]) => Atomic, fn: string, min: number, max: number): Builtin => ({
  min,
  max,
  impl: (args) => [impl(...args.map((a) => optionalString(a, fn)))],
});

const normalizeSpace = (s: string): string => s.replace(/[ \t\n\r]+/g, ' ').replace(/^ | $/g, '');

// F&O 7.4.3: substring with XPath's rounding of double positions.
function substring(s: string, start: number, length?: number): string {
  const chars = Array.from(s);
  const first = Math.round(start);
  const end = length === undefined ? Infinity : first + Math.round(length);
  if (Number.isNaN(first) || Number.isNaN(end)) return '';
  let out = '';
  for (let p = 1; p <= chars.length; p++) if (p >= first && p < end) out += chars[p - 1];
  return out;
}

/** XSD regular expression → JavaScript; refuses the constructs whose meaning would differ (F&O 7.6.1). */
export function xsdRegex(pattern: string, flags: string, global = false): RegExp {
  if (/\\[iIcC]|-\[|\\p\{Is/.test(pattern)) throw new XPathError('FFCS0001', `regex ${pattern} uses XSD-only syntax the compiled rules do not translate`);
  let f = '';
  for (const c of flags) {
    if (c === 'i' || c === 'm' || c === 's') f += c;
    else if (c === 'x') pattern = pattern.replace(/[ \t\n\r]/g, '');
    else throw new XPathError('FORX0001', `invalid regex flag ${c}`);
  }
  try {
    return new RegExp(pattern, f + 'u' + (global ? 'g' : ''));
  } catch {
    try {
      return new RegExp(pattern, f + (global ? 'g' : ''));
    } catch (err) {
      throw new XPathError('FORX0002', `invalid regex ${pattern}: ${(err as Error).message}`);
    }
  }
}

const regexCache = new Map<string, RegExp>();
function regex(pattern: string, flags = '', global = false): RegExp {
  const key = `${flags}${global ? '+g' : ''}/${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    re = xsdRegex(pattern, flags, global);
    regexCache.set(key, re);
  }
  return re;
}

function sum(seq: Seq, zero: Seq): Seq {
  if (seq.length === 0) return zero;
  let total = numeric(seq[0]!, 'sum');
  for (let k = 1; k < seq.length; k++) total = arith('+', total, numeric(seq[k]!, 'sum'));
  return [total];
}

function round(x: number | bigint | Decimal): number | bigint | Decimal {
  if (typeof x === 'bigint') return x;
  if (typeof x === 'number') return Math.round(x); // half toward +∞, as F&O 6.4.4 asks
  return x.toDecimalPlaces(0, Decimal.ROUND_HALF_CEIL);
}

const numericFn = (fn: string, impl: (x: number | bigint | Decimal) => number | bigint | Decimal): Builtin => ({
  min: 1,
  max: 1,
  impl: ([a]) => {
    const x = single(a!, fn);
    return x === undefined ? EMPTY : [impl(numeric(x, fn))];
  },
});

function nodeArg(args: Seq[], item: Item, fn: string): XNode | undefined {
  const seq = args.length === 0 ? [item] : args[0]!;
  if (seq.length === 0) return undefined;
  const n = single(seq, fn);
  if (!(n instanceof XNode)) throw new XPathError('XPTY0004', `${fn}() expects a node`);
  return n;
}

function extreme(seq: Seq, fn: string, op: 'lt' | 'gt'): Seq {
  if (seq.length === 0) return EMPTY;
  let best: Atomic = seq[0]! instanceof XNode || seq[0]! instanceof Untyped ? toDouble(seq[0]!) : seq[0]!;
  for (let k = 1; k < seq.length; k++) {
    const x = seq[k]! instanceof XNode || seq[k]! instanceof Untyped ? toDouble(seq[k]!) : seq[k]!;
    if (compareAtomic(op, x, best, false)) best = x;
  }
  if (typeof best === 'number' && Number.isNaN(best)) return [NaN];
  return [best];
}

export const BUILTINS: Record<string, Builtin> = {
  count: { min: 1, max: 1, impl: ([a]) => [BigInt(a!.length)] },
  sum: { min: 1, max: 2, impl: ([a, zero]) => sum(a!, zero ?? [0n]) },
  avg: {
    min: 1,
    max: 1,
    impl: ([a]) => (a!.length === 0 ? EMPTY : [arith('div', sum(a!, [0n])[0] as number | bigint | Decimal, BigInt(a!.length))]),
  },
  max: { min: 1, max: 1, impl: ([a]) => extreme(a!, 'max', 'gt') },
  min: { min: 1, max: 1, impl: ([a]) => extreme(a!, 'min', 'lt') },
  round: numericFn('round', round),
  abs: numericFn('abs', (x) => (typeof x === 'number' ? Math.abs(x) : typeof x === 'bigint' ? (x < 0n ? -x : x) : x.abs())),
  floor: numericFn('floor', (x) => (typeof x === 'number' ? Math.floor(x) : typeof x === 'bigint' ? x : x.floor())),
  ceiling: numericFn('ceiling', (x) => (typeof x === 'number' ? Math.ceil(x) : typeof x === 'bigint' ? x : x.ceil())),
  number: {
    min: 0,
    max: 1,
    impl: (args, item) => {
      const seq = args.length === 0 ? [item] : args[0]!;
      const x = single(seq, 'number');
      if (x === undefined) return [NaN];
      if (typeof x === 'number') return [x];
      if (typeof x === 'bigint') return [Number(x)];
      if (x instanceof Decimal) return [x.toNumber()];
      if (typeof x === 'boolean') return [x ? 1 : 0];
      return [parseDouble(stringOf(x)) ?? NaN];
    },
  },
  string: {
    min: 0,
    max: 1,
    impl: (args, item) => {
      const seq = args.length === 0 ? [item] : args[0]!;
      const x = single(seq, 'string');
      return [x === undefined ? '' : stringOf(x)];
    },
  },
  'normalize-space': { min: 0, max: 1, impl: (args, item) => [normalizedString(args, item)] },
  'string-length': { min: 0, max: 1, impl: (args, item) => [BigInt(Array.from(contextString(args, item, 'string-length')).length)] },
  'upper-case': str((s) => s.toUpperCase(), 'upper-case', 1, 1),
  'lower-case': str((s) => s.toLowerCase(), 'lower-case', 1, 1),
  contains: str((s, t) => s.includes(t!), 'contains', 2, 2),
  'starts-with': str((s, t) => s.startsWith(t!), 'starts-with', 2, 2),
  'ends-with': str((s, t) => s.endsWith(t!), 'ends-with', 2, 2),
  'substring-before': str((s, t) => (s.indexOf(t!) < 0 ? '' : s.slice(0, s.indexOf(t!))), 'substring-before', 2, 2),
  'substring-after': str((s, t) => (s.indexOf(t!) < 0 ? '' : s.slice(s.indexOf(t!) + t!.length)), 'substring-after', 2, 2),
  translate: str((s, from, to) => {
    const f = Array.from(from!);
    const t = Array.from(to!);
    let out = '';
    for (const c of s) {
      const k = f.indexOf(c);
      if (k < 0) out += c;
      else if (k < t.length) out += t[k];
    }
    return out;
  }, 'translate', 3, 3),
  substring: {
    min: 2,
    max: 3,
    impl: ([s, start, length]) => {
      const text = optionalString(s, 'substring');
      const a = single(start!, 'substring');
      const b = length && single(length, 'substring');
      if (a === undefined || (length && b === undefined)) throw new XPathError('XPTY0004', 'substring(): empty position');
      return [substring(text, toDouble(numeric(a, 'substring')), b === undefined ? undefined : toDouble(numeric(b, 'substring')))];
    },
  },
  concat: {
    min: 2,
    max: Infinity,
    impl: (args) => [args.map((a) => (a.length === 0 ? '' : stringOf(single(a, 'concat')!))).join('')],
  },
  'string-join': {
    min: 2,
    max: 2,
    impl: ([a, sep]) => [a!.map((x) => optionalString([x], 'string-join')).join(optionalString(sep, 'string-join'))],
  },
  matches: {
    min: 2,
    max: 3,
    impl: ([s, p, f]) => [regex(optionalString(p, 'matches'), f ? optionalString(f, 'matches') : '').test(optionalString(s, 'matches'))],
  },
  replace: {
    min: 3,
    max: 4,
    impl: ([s, p, r, f]) => {
      const re = regex(optionalString(p, 'replace'), f ? optionalString(f, 'replace') : '', true);
      if (re.test('')) throw new XPathError('FORX0003', 'replace(): the pattern matches the empty string');
      // F&O 7.6.3: $1..$9 and \$ \\ in the replacement; JavaScript's $& $` $' have no meaning there.
      const replacement = optionalString(r, 'replace').replace(/\\([\\$])|\$(\d)|\$/g, (m, esc: string, d: string) => (esc ? (esc === '$' ? '$$' : '\\') : d ? `$${d}` : m));
      return [optionalString(s, 'replace').replace(re, replacement)];
    },
  },
  tokenize: {
    min: 2,
    max: 3,
    impl: ([s, p, f]) => {
      const text = optionalString(s, 'tokenize');
      if (text === '') return EMPTY;
      const re = regex(optionalString(p, 'tokenize'), f ? optionalString(f, 'tokenize') : '', true);
      re.lastIndex = 0;
      if (re.test('')) throw new XPathError('FORX0003', 'tokenize(): the pattern matches the empty string');
      const out: string[] = [];
      let last = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        out.push(text.slice(last, m.index));
        last = m.index + m[0].length;
      }
      out.push(text.slice(last));
      return out;
    },
  },
  'string-to-codepoints': { min: 1, max: 1, impl: ([a]) => Array.from(optionalString(a, 'string-to-codepoints')).map((c) => BigInt(c.codePointAt(0)!)) },
  'codepoints-to-string': { min: 1, max: 1, impl: ([a]) => [String.fromCodePoint(...a!.map((x) => Number(x as bigint)))] },
  reverse: { min: 1, max: 1, impl: ([a]) => [...a!].reverse() },
  'distinct-values': {
    min: 1,
    max: 1,
    impl: ([a]) => {
      const out: Atomic[] = [];
      for (const raw of a!) {
        const x: Atomic = raw instanceof XNode ? new Untyped(raw.value) : raw;
        // eq semantics, untypedAtomic compared as string; values that cannot be compared are distinct.
        if (!out.some((y) => safeEqual(x, y))) out.push(x);
      }
      return out;
    },
  },
  'index-of': {
    min: 2,
    max: 2,
    impl: ([a, b]) => {
      const target = single(b!, 'index-of')!;
      const out: bigint[] = [];
      a!.forEach((x, k) => safeEqual(x instanceof XNode ? new Untyped(x.value) : x, target) && out.push(BigInt(k + 1)));
      return out;
    },
  },
  data: { min: 1, max: 1, impl: ([a]) => a!.map((x) => (x instanceof XNode ? new Untyped(x.value) : x)) },
  position: { min: 0, max: 0, impl: (_a, _i, pos) => [BigInt(pos)] },
  last: { min: 0, max: 0, impl: (_a, _i, _p, size) => [BigInt(size)] },
  current: { min: 0, max: 0, impl: (_a, _i, _p, _s, env) => [env.current] },
  'local-name': { min: 0, max: 1, impl: (args, item) => [nodeArg(args, item, 'local-name')?.local ?? ''] },
  name: { min: 0, max: 1, impl: (args, item) => [nodeArg(args, item, 'name')?.name ?? ''] },
  'namespace-uri': { min: 0, max: 1, impl: (args, item) => [nodeArg(args, item, 'namespace-uri')?.ns ?? ''] },
  root: {
    min: 0,
    max: 1,
    impl: (args, item) => {
      const n = nodeArg(args, item, 'root');
      return n ? [n.doc.root] : EMPTY;
    },
  },
};

function safeEqual(a: Atomic, b: Atomic): boolean {
  try {
    return compareAtomic('eq', a, b, false);
  } catch (err) {
    if (err instanceof XPathError) return false;
    throw err;
  }
}

