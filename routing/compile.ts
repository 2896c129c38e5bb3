/**
 * Compiles a validated json-logic condition once into a closure, instead of re-walking the JSON tree on every
 * decision as `jsonLogic.apply` does. Semantics follow json-logic-js 2.0.5 operator by operator (a test checks
 * parity over the shipped and the bench rule sets), with two deliberate differences: only whitelisted operators
 * exist, and `var` reads own properties only, so no rule can reach `__proto__` or `constructor`.
 *
 * Reads of the facts (not of list elements inside map/filter/…) are recorded when a `reads` array is passed:
 * that is the decision trace.
 */
import { isOperation, operationParts, operatorSpec, truthy } from './operators.js';
import { FORBIDDEN_KEYS } from './yaml-source.js';

export interface FactRead {
  path: string;
  value: unknown;
}

export type Compiled = (data: unknown, reads: FactRead[] | null) => unknown;

export class RuleCompileError extends Error {
  override readonly name = 'RuleCompileError';
}

function record(reads: FactRead[], path: string, value: unknown): void {
  for (let i = 0; i < reads.length; i++) if (reads[i]!.path === path) return;
  reads.push({ path, value });
}

const hasOwn = Object.prototype.hasOwnProperty;

/** json-logic `var` over own properties only. */
function lookup(data: unknown, segments: readonly string[], notFound: unknown): unknown {
  let node = data;
  for (let i = 0; i < segments.length; i++) {
    if (node === null || node === undefined) return notFound;
    const segment = segments[i]!;
    node = hasOwn.call(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
    if (node === undefined) return notFound;
  }
  return node;
}

function pathSegments(path: unknown): string[] | null {
  if (path === undefined || path === null || path === '') return null;
  const segments = String(path).split('.');
  const forbidden = segments.find((segment) => FORBIDDEN_KEYS.has(segment));
  if (forbidden !== undefined) throw new RuleCompileError(`'${forbidden}' may not be read`);
  return segments;
}

const constant =
  (value: unknown): Compiled =>
  () =>
    value;

function compileVar(args: unknown[], factScope: boolean): Compiled {
  const [pathArg, defaultArg] = args;
  if (isOperation(pathArg) || Array.isArray(pathArg)) throw new RuleCompileError('var needs a literal path');
  const segments = pathSegments(pathArg);
  const fallback = defaultArg === undefined ? constant(null) : compileNode(defaultArg, factScope);
  if (segments === null) return (data) => data;
  const path = segments.join('.');
  if (!factScope) return (data, reads) => lookup(data, segments, fallback(data, reads));
  return (data, reads) => {
    const value = lookup(data, segments, fallback(data, reads));
    if (reads !== null) record(reads, path, value);
    return value;
  };
}

function compileScoped(op: string, args: unknown[], factScope: boolean): Compiled {
  const list = compileNode(args[0], factScope);
  const each = compileNode(args[1], false);
  switch (op) {
    case 'filter':
      return (data, reads) => {
        const items = list(data, reads);
        return Array.isArray(items) ? items.filter((item) => truthy(each(item, null))) : [];
      };
    case 'map':
      return (data, reads) => {
        const items = list(data, reads);
        return Array.isArray(items) ? items.map((item) => each(item, null)) : [];
      };
    case 'reduce': {
      const initial = args[2] === undefined ? constant(null) : compileNode(args[2], factScope);
      return (data, reads) => {
        const items = list(data, reads);
        const start = initial(data, reads);
        return Array.isArray(items) ? items.reduce((accumulator: unknown, current: unknown) => each({ current, accumulator }, null), start) : start;
      };
    }
    case 'all':
      return (data, reads) => {
        const items = list(data, reads);
        if (!Array.isArray(items) || items.length === 0) return false;
        for (const item of items) if (!truthy(each(item, null))) return false;
        return true;
      };
    case 'none':
      return (data, reads) => {
        const items = list(data, reads);
        if (!Array.isArray(items) || items.length === 0) return true;
        for (const item of items) if (truthy(each(item, null))) return false;
        return true;
      };
    case 'some':
      return (data, reads) => {
        const items = list(data, reads);
        if (!Array.isArray(items) || items.length === 0) return false;
        for (const item of items) if (truthy(each(item, null))) return true;
        return false;
      };
    default:
      throw new RuleCompileError(`unknown scoped operator ${op}`);
  }
}

type N = number;

function compileOperation(op: string, args: unknown[], factScope: boolean): Compiled {
  if (operatorSpec(op) === undefined) throw new RuleCompileError(`operator '${op}' is not allowed`);
  if (op === 'var') return compileVar(args, factScope);
  if (operatorSpec(op)!.scoped) return compileScoped(op, args, factScope);
  const parts = args.map((arg) => compileNode(arg, factScope));
  const [a, b, c] = parts;
  switch (op) {
    case 'if':
    case '?:':
      return (data, reads) => {
        let i = 0;
        for (; i < parts.length - 1; i += 2) if (truthy(parts[i]!(data, reads))) return parts[i + 1]!(data, reads);
        return parts.length === i + 1 ? parts[i]!(data, reads) : null;
      };
    case 'and':
      return (data, reads) => {
        let current: unknown;
        for (let i = 0; i < parts.length; i++) {
          current = parts[i]!(data, reads);
          if (!truthy(current)) return current;
        }
        return current;
      };
    case 'or':
      return (data, reads) => {
        let current: unknown;
        for (let i = 0; i < parts.length; i++) {
          current = parts[i]!(data, reads);
          if (truthy(current)) return current;
        }
        return current;
      };
    case '!':
      return (data, reads) => !truthy(a!(data, reads));
    case '!!':
      return (data, reads) => truthy(a!(data, reads));
    case '===':
      return (data, reads) => a!(data, reads) === b!(data, reads);
    case '!==':
      return (data, reads) => a!(data, reads) !== b!(data, reads);
    case '>':
      return (data, reads) => (a!(data, reads) as N) > (b!(data, reads) as N);
    case '>=':
      return (data, reads) => (a!(data, reads) as N) >= (b!(data, reads) as N);
    case '<':
      if (c === undefined) return (data, reads) => (a!(data, reads) as N) < (b!(data, reads) as N);
      return (data, reads) => {
        const x = a!(data, reads) as N;
        const y = b!(data, reads) as N;
        const z = c(data, reads) as N;
        return z === undefined ? x < y : x < y && y < z;
      };
    case '<=':
      if (c === undefined) return (data, reads) => (a!(data, reads) as N) <= (b!(data, reads) as N);
      return (data, reads) => {
        const x = a!(data, reads) as N;
        const y = b!(data, reads) as N;
        const z = c(data, reads) as N;
        return z === undefined ? x <= y : x <= y && y <= z;
      };
    case 'in':
      return (data, reads) => {
        const needle = a!(data, reads);
        const haystack = b === undefined ? undefined : b(data, reads);
        if (typeof haystack === 'string') return haystack.indexOf(needle as string) !== -1;
        return Array.isArray(haystack) ? haystack.indexOf(needle) !== -1 : false;
      };
    case '+':
      return (data, reads) => {
        let sum = 0;
        for (let i = 0; i < parts.length; i++) sum = parseFloat(sum as unknown as string) + parseFloat(parts[i]!(data, reads) as string);
        return sum;
      };
    case '*':
      return (data, reads) => {
        let product = parts[0]!(data, reads);
        for (let i = 1; i < parts.length; i++) product = parseFloat(product as string) * parseFloat(parts[i]!(data, reads) as string);
        return product;
      };
    case '-':
      return (data, reads) => {
        const x = a!(data, reads) as N;
        const y = b === undefined ? undefined : (b(data, reads) as N);
        return y === undefined ? -x : x - y;
      };
    case '/':
      return (data, reads) => (a!(data, reads) as N) / (b!(data, reads) as N);
    case '%':
      return (data, reads) => (a!(data, reads) as N) % (b!(data, reads) as N);
    case 'min':
      return (data, reads) => Math.min(...parts.map((part) => part(data, reads) as N));
    case 'max':
      return (data, reads) => Math.max(...parts.map((part) => part(data, reads) as N));
    case 'cat':
      return (data, reads) => parts.map((part) => part(data, reads)).join('');
    case 'substr':
      return (data, reads) => {
        const source = String(a!(data, reads));
        const start = b!(data, reads) as N;
        const end = c === undefined ? undefined : (c(data, reads) as N);
        if (end !== undefined && end < 0) {
          const rest = source.substr(start);
          return rest.substr(0, rest.length + end);
        }
        return source.substr(start, end);
      };
    case 'merge':
      return (data, reads) => parts.reduce<unknown[]>((merged, part) => merged.concat(part(data, reads)), []);
    case 'missing':
      return (data, reads) => {
        const values = parts.map((part) => part(data, reads));
        const keys = Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
        return keys.filter((key) => {
          const segments = pathSegments(key);
          const value = segments === null ? data : lookup(data, segments, null);
          if (factScope && reads !== null && segments !== null) record(reads, segments.join('.'), value);
          return value === null || value === '';
        });
      };
    case 'missing_some':
      return (data, reads) => {
        const need = a!(data, reads) as N;
        const options = (b!(data, reads) ?? []) as unknown[];
        const missing = options.filter((key) => {
          const segments = pathSegments(key);
          const value = segments === null ? data : lookup(data, segments, null);
          if (factScope && reads !== null && segments !== null) record(reads, segments.join('.'), value);
          return value === null || value === '';
        });
        return options.length - missing.length >= need ? [] : missing;
      };
    default:
      throw new RuleCompileError(`operator '${op}' has no implementation`);
  }
}

function compileNode(node: unknown, factScope: boolean): Compiled {
  if (Array.isArray(node)) {
    const items = node.map((item) => compileNode(item, factScope));
    return (data, reads) => items.map((item) => item(data, reads));
  }
  if (!isOperation(node)) return constant(node);
  const { op, args } = operationParts(node);
  return compileOperation(op, args, factScope);
}

/** The condition as a closure returning json-logic's value (use `truthy` on it, or `compileCondition`). */
export function compileLogic(logic: unknown): Compiled {
  return compileNode(logic, true);
}

export type CompiledCondition = (facts: unknown, reads: FactRead[] | null) => boolean;

export function compileCondition(logic: unknown): CompiledCondition {
  const compiled = compileLogic(logic);
  return (facts, reads) => truthy(compiled(facts, reads));
}
