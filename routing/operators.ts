/**
 * The json-logic operators a routing rule may use: a whitelist. Left out on purpose:
 * - `==` and `!=`: they coerce (`0 == ""` is true, `"1" == 1` is true); rules use `===` / `!==`.
 * - `method` (calls any method on any value: the classic json-logic escape hatch) and `log` (I/O).
 * - anything registered with `add_operation`: rules must mean the same on every machine.
 */

export type OperatorKind = 'logic' | 'compare' | 'data' | 'arithmetic' | 'text' | 'list';

export interface OperatorSpec {
  kind: OperatorKind;
  /** Argument count; `max` undefined = any. */
  min: number;
  max?: number;
  /** Operators whose 2nd argument runs once per list element, with the element as data. */
  scoped?: boolean;
  summary: string;
}

export const OPERATORS: Readonly<Record<string, OperatorSpec>> = {
  var: { kind: 'data', min: 1, max: 2, summary: 'read a fact: {"var": "customer.kind"}' },
  missing: { kind: 'data', min: 0, summary: 'list of the named facts that are null or empty' },
  missing_some: { kind: 'data', min: 2, max: 2, summary: '[] when at least N of the named facts are present' },
  if: { kind: 'logic', min: 0, summary: 'if/then/else-if/…/else' },
  '?:': { kind: 'logic', min: 3, max: 3, summary: 'condition ? then : else' },
  and: { kind: 'logic', min: 1, summary: 'all are true' },
  or: { kind: 'logic', min: 1, summary: 'at least one is true' },
  '!': { kind: 'logic', min: 1, max: 1, summary: 'not' },
  '!!': { kind: 'logic', min: 1, max: 1, summary: 'is truthy' },
  '===': { kind: 'compare', min: 2, max: 2, summary: 'equal, same type' },
  '!==': { kind: 'compare', min: 2, max: 2, summary: 'not equal, or different type' },
  '<': { kind: 'compare', min: 2, max: 3, summary: 'less than; with three arguments: strictly between' },
  '<=': { kind: 'compare', min: 2, max: 3, summary: 'at most; with three arguments: between, inclusive' },
  '>': { kind: 'compare', min: 2, max: 2, summary: 'greater than' },
  '>=': { kind: 'compare', min: 2, max: 2, summary: 'at least' },
  in: { kind: 'list', min: 2, max: 2, summary: 'element of a list, or substring of a text' },
  '+': { kind: 'arithmetic', min: 0, summary: 'sum' },
  '-': { kind: 'arithmetic', min: 1, max: 2, summary: 'difference or negation' },
  '*': { kind: 'arithmetic', min: 1, summary: 'product' },
  '/': { kind: 'arithmetic', min: 2, max: 2, summary: 'quotient' },
  '%': { kind: 'arithmetic', min: 2, max: 2, summary: 'remainder' },
  min: { kind: 'arithmetic', min: 1, summary: 'smallest' },
  max: { kind: 'arithmetic', min: 1, summary: 'largest' },
  cat: { kind: 'text', min: 0, summary: 'join as text' },
  substr: { kind: 'text', min: 2, max: 3, summary: 'part of a text' },
  merge: { kind: 'list', min: 0, summary: 'flatten lists into one' },
  map: { kind: 'list', min: 2, max: 2, scoped: true, summary: 'transform each element' },
  filter: { kind: 'list', min: 2, max: 2, scoped: true, summary: 'keep matching elements' },
  reduce: { kind: 'list', min: 2, max: 3, scoped: true, summary: 'fold a list ({"var": "current"}, {"var": "accumulator"})' },
  all: { kind: 'list', min: 2, max: 2, scoped: true, summary: 'every element matches (false for an empty list)' },
  some: { kind: 'list', min: 2, max: 2, scoped: true, summary: 'at least one element matches' },
  none: { kind: 'list', min: 2, max: 2, scoped: true, summary: 'no element matches' },
};

export const OPERATOR_NAMES: readonly string[] = Object.keys(OPERATORS);

export function operatorSpec(name: string): OperatorSpec | undefined {
  return Object.hasOwn(OPERATORS, name) ? OPERATORS[name] : undefined;
}

/** Words people write for operators, for "did you mean". */
export const OPERATOR_SYNONYMS: Readonly<Record<string, string>> = {
  '==': '===',
  '=': '===',
  eq: '===',
  equals: '===',
  is: '===',
  '!=': '!==',
  '<>': '!==',
  ne: '!==',
  neq: '!==',
  not: '!',
  '&&': 'and',
  '||': 'or',
  contains: 'in',
  includes: 'in',
  oneof: 'in',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  concat: 'cat',
  ternary: '?:',
  every: 'all',
  any: 'some',
};

/** json-logic truthiness: an empty list is false, otherwise JavaScript's (jsonlogic.com/truthy). */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value) && value.length === 0) return false;
  return Boolean(value);
}

/** An object is an operation when it has exactly one key (json-logic's is_logic). */
export function isOperation(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1;
}

/** The operator and its arguments, with json-logic's unary sugar (`{"var": "x"}` = `{"var": ["x"]}`). */
export function operationParts(operation: Record<string, unknown>): { op: string; args: unknown[] } {
  const op = Object.keys(operation)[0]!;
  const raw = operation[op];
  return { op, args: Array.isArray(raw) ? raw : [raw] };
}
