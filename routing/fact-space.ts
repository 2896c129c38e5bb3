/**
 * Decides, where it can, which rule takes which facts: the basis of the unreachable-rule check and of the
 * policy checks (which buyers get which plan, on which issue dates).
 *
 * How. A condition is "decidable" when every test in it compares one fact with literals (`===`, `!==`, `<`…,
 * `in` a literal list, a literal `in` the tags, a fact used as a truth value) under `and`/`or`/`!`/`if`. The
 * literals cut each fact's values into finitely many classes; one representative per class (each literal, the
 * values between and around it, the empty text, …) is enough to see every behaviour. A region is a set of
 * possible representatives per fact (its domain). In a region a test is true (for the whole domain), false, or
 * unknown; an unknown test splits the domain in two by its own answer. Exploration walks the rules in order with
 * this three-valued logic and splits only where the first undecided rule needs it, so it does work in proportion
 * to the decisions the rules make, not to the product of all facts' values. `"vip" in tags` is a yes/no
 * dimension of its own per tag.
 *
 * A rule outside the fragment makes the regions it could take ambiguous: later rules count as reachable there,
 * and no policy verdict is drawn from them. When the work budget runs out the result says so.
 */
import { compileCondition } from './compile.js';
import { BASE_FACTS, factAt, isIsoDate, writeFact, type FactDescription } from './fact-schema.js';
import type { RoutingFacts } from './facts.js';
import { isOperation, operationParts, truthy } from './operators.js';

type Tri = 0 | 1 | 2;
const F: Tri = 0;
const T: Tri = 1;
const U: Tri = 2;

interface Leaf {
  kind: 'leaf';
  /** Dimensions the test reads: one, except `missing` over several facts. */
  paths: string[];
  test: (facts: unknown) => boolean;
}

type Node = { kind: 'const'; value: boolean } | { kind: 'and' | 'or' | 'if'; children: Node[] } | { kind: 'not'; child: Node } | Leaf;

export interface ConditionShape {
  readonly decidable: boolean;
  readonly root: Node;
  /** Dimensions the condition reads, in reading order. */
  readonly paths: readonly string[];
}

export const UNDECIDABLE: ConditionShape = { decidable: false, root: { kind: 'const', value: false }, paths: [] };

const TAG_DIMENSION = 'tags\u220b';
const tagDimension = (tag: string): string => `${TAG_DIMENSION}${tag}`;
const isTagDimension = (path: string): boolean => path.startsWith(TAG_DIMENSION);

/** Sets a fact, or adds/removes one tag for a tag dimension. */
function assign(target: Record<string, unknown>, path: string, value: unknown): void {
  if (!isTagDimension(path)) {
    writeFact(target, path, value);
    return;
  }
  const tag = path.slice(TAG_DIMENSION.length);
  const tags = (target.tags as string[]).filter((existing) => existing !== tag);
  target.tags = value === true ? [...tags, tag] : tags;
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

interface Literals {
  values: Set<unknown>;
  /** Compared with < <= > >=: the values between literals matter too. */
  ordered: boolean;
}

/** The literals seen per fact, and the representatives they imply. */
export class FactSpace {
  private readonly literals = new Map<string, Literals>();
  private readonly cache = new Map<string, unknown[]>();

  private note(path: string, values: readonly unknown[], ordered: boolean): void {
    this.cache.delete(path);
    let entry = this.literals.get(path);
    if (!entry) {
      entry = { values: new Set(), ordered: false };
      this.literals.set(path, entry);
    }
    for (const value of values) entry.values.add(value);
    entry.ordered ||= ordered;
  }

  /** The condition's shape; its literals join the space. Analyse every condition before exploring. */
  analyse(logic: unknown): ConditionShape {
    const paths: string[] = [];
    const pending: { path: string; values: unknown[]; ordered: boolean }[] = [];
    const readFact = (node: unknown): FactDescription | undefined => {
      if (!isOperation(node)) return undefined;
      const { op, args } = operationParts(node);
      if (op !== 'var' || typeof args[0] !== 'string') return undefined;
      if (args[1] !== undefined && !isScalar(args[1])) return undefined;
      return factAt(args[0]);
    };
    const leaf = (node: unknown, dimensions: string[]): Leaf => {
      for (const path of dimensions) if (!paths.includes(path)) paths.push(path);
      const test = compileCondition(node);
      return { kind: 'leaf', paths: dimensions, test: (facts) => test(facts, null) };
    };
    const visit = (node: unknown): Node | undefined => {
      if (isScalar(node)) return { kind: 'const', value: truthy(node) };
      if (!isOperation(node)) return undefined;
      const { op, args } = operationParts(node);
      switch (op) {
        case 'and':
        case 'or':
        case 'if':
        case '?:': {
          const children = args.map(visit);
          if (children.some((child) => child === undefined)) return undefined;
          return { kind: op === '?:' ? 'if' : op, children: children as Node[] };
        }
        case '!':
        case '!!': {
          const child = visit(args[0]);
          if (!child) return undefined;
          return op === '!' ? { kind: 'not', child } : child;
        }
        case 'var': {
          const fact = readFact(node);
          if (!fact || fact.type === 'string[]') return undefined;
          pending.push({ path: fact.path, values: [], ordered: false });
          return leaf(node, [fact.path]);
        }
        case '===':
        case '!==':
        case '<':
        case '<=':
        case '>':
        case '>=': {
          const facts = args.map(readFact);
          const factIndexes = facts.flatMap((fact, index) => (fact ? [index] : []));
          if (factIndexes.length > 1) return undefined;
          if (args.some((arg, index) => !facts[index] && !isScalar(arg))) return undefined;
          if (factIndexes.length === 0) return { kind: 'const', value: compileCondition(node)({}, null) };
          const fact = facts[factIndexes[0]!]!;
          if (fact.type === 'string[]') return undefined;
          pending.push({ path: fact.path, values: args.filter((_, index) => index !== factIndexes[0]), ordered: op !== '===' && op !== '!==' });
          return leaf(node, [fact.path]);
        }
        case 'in': {
          const [needle, haystack] = args;
          const needleFact = readFact(needle);
          if (needleFact && needleFact.type !== 'string[]' && Array.isArray(haystack) && haystack.every(isScalar)) {
            pending.push({ path: needleFact.path, values: haystack, ordered: false });
            return leaf(node, [needleFact.path]);
          }
          if (readFact(haystack)?.type === 'string[]' && typeof needle === 'string') return leaf(node, [tagDimension(needle)]);
          return undefined;
        }
        case 'missing': {
          const keys = Array.isArray(args[0]) ? args[0] : args;
          const facts = keys.map((key) => (typeof key === 'string' ? factAt(key) : undefined));
          if (facts.length === 0 || facts.some((fact) => fact === undefined || fact.type === 'string[]')) return undefined;
          for (const fact of facts) pending.push({ path: fact!.path, values: [], ordered: false });
          return leaf(node, facts.map((fact) => fact!.path));
        }
        default:
          return undefined;
      }
    };
    const root = visit(logic);
    if (!root) return UNDECIDABLE;
    for (const entry of pending) this.note(entry.path, entry.values, entry.ordered);
    return { decidable: true, root, paths };
  }

  /** One value per class of values the literals distinguish. */
  representatives(path: string): unknown[] {
    let values = this.cache.get(path);
    if (!values) {
      values = this.compute(path);
      this.cache.set(path, values);
    }
    return values;
  }

  private compute(path: string): unknown[] {
    if (isTagDimension(path)) return [false, true];
    const fact = factAt(path);
    if (!fact) return [undefined];
    const entry = this.literals.get(path) ?? { values: new Set<unknown>(), ordered: false };
    const unique = (values: unknown[]): unknown[] => [...new Set(values)];
    switch (fact.type) {
      case 'boolean':
        return [false, true];
      case 'number': {
        const numbers = [...entry.values].filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
        if (numbers.length === 0) return unique([fact.base, 0]);
        const points: number[] = [0, numbers[0]! - 1];
        numbers.forEach((n, i) => {
          points.push(n);
          const next = numbers[i + 1];
          if (next !== undefined) points.push((n + next) / 2);
        });
        points.push(numbers.at(-1)! + 1);
        return unique(points);
      }
      case 'string[]':
        // Read only through tag dimensions; the list itself is never split.
        return [fact.base];
      case 'string': {
        if (fact.values) return Object.keys(fact.values);
        const texts = [...entry.values].filter((v): v is string => typeof v === 'string');
        if (fact.format === 'date') {
          const dates = texts.filter(isIsoDate);
          if (dates.length === 0) return [fact.base];
          return unique(dates.flatMap((date) => [addDays(date, -1), date, addDays(date, 1)])).sort();
        }
        const other = [fact.base, 'SE', 'other', 'other-2'].find((candidate) => typeof candidate === 'string' && candidate !== '' && !texts.includes(candidate));
        const points: unknown[] = [...texts, other, ''];
        if (entry.ordered) for (const text of texts) points.push(`${text}\u0000`);
        return unique(points);
      }
    }
  }
}

export type Decider = number | 'default';

/** What a visitor may ask about the region a rule decides. */
export interface Region {
  /** Facts in this region for which the condition holds, or undefined when there are none. */
  witness(shape: ConditionShape): Readonly<RoutingFacts> | undefined;
}

export interface ExploreOptions {
  /** Called once per region with the rule (or the default) that decides every facts in it. */
  visit?: (region: Region, decider: Decider) => void;
  /** Maximum work (evaluations and splits) before giving up; then `complete` is false. */
  budget?: number;
}

export interface ExploreResult {
  /** False when the budget ran out: nothing may then be concluded from `reachable`. */
  complete: boolean;
  /** Per rule: decides some facts (or might, behind an undecidable rule). */
  reachable: boolean[];
  defaultReachable: boolean;
}

export function explore(space: FactSpace, shapes: readonly ConditionShape[], options: ExploreOptions = {}): ExploreResult {
  const budget = options.budget ?? 200_000;
  const point = structuredClone(BASE_FACTS) as unknown as Record<string, unknown>;
  const domains = new Map<string, unknown[]>();
  const reachable = shapes.map(() => false);
  let defaultReachable = false;
  let work = 0;
  let aborted = false;
  let undecided: Leaf | undefined;

  const domainOf = (path: string): unknown[] => domains.get(path) ?? space.representatives(path);
  const spend = (): boolean => {
    if (++work > budget) aborted = true;
    return !aborted;
  };

  const evaluateLeaf = (leaf: Leaf): Tri => {
    if (leaf.paths.length === 1) {
      const path = leaf.paths[0]!;
      let sawTrue = false;
      let sawFalse = false;
      for (const value of domainOf(path)) {
        assign(point, path, value);
        if (leaf.test(point)) sawTrue = true;
        else sawFalse = true;
        if (sawTrue && sawFalse) return U;
      }
      return sawTrue ? T : F;
    }
    for (const path of leaf.paths) if (domainOf(path).length > 1) return U;
    for (const path of leaf.paths) assign(point, path, domainOf(path)[0]);
    return leaf.test(point) ? T : F;
  };

  /** Three-valued evaluation; remembers the first undecided test in `undecided`. */
  const evaluate = (node: Node): Tri => {
    switch (node.kind) {
      case 'const':
        return node.value ? T : F;
      case 'leaf': {
        const value = evaluateLeaf(node);
        if (value === U) undecided ??= node;
        return value;
      }
      case 'not': {
        const value = evaluate(node.child);
        return value === U ? U : value === T ? F : T;
      }
      case 'and': {
        let result: Tri = T;
        for (const child of node.children) {
          const value = evaluate(child);
          if (value === F) return F;
          if (value === U) result = U;
        }
        return result;
      }
      case 'or': {
        let result: Tri = F;
        for (const child of node.children) {
          const value = evaluate(child);
          if (value === T) return T;
          if (value === U) result = U;
        }
        return result;
      }
      case 'if': {
        const children = node.children;
        let i = 0;
        for (; i < children.length - 1; i += 2) {
          const condition = evaluate(children[i]!);
          if (condition === T) return evaluate(children[i + 1]!);
          if (condition === U) return U;
        }
        return children.length === i + 1 ? evaluate(children[i]!) : F;
      }
    }
  };

  const decideShape = (shape: ConditionShape): { value: Tri; leaf?: Leaf } => {
    undecided = undefined;
    const value = evaluate(shape.root);
    return value === U ? { value, leaf: undecided! } : { value };
  };

  /** Splits the region on a test's answer (or, for a several-fact test, on one fact's values) and runs `then` in each part; `then` returning true stops. */
  const split = (leaf: Leaf, then: () => boolean | void): void => {
    const parts: [string, unknown[]][] = [];
    if (leaf.paths.length === 1) {
      const path = leaf.paths[0]!;
      const yes: unknown[] = [];
      const no: unknown[] = [];
      for (const value of domainOf(path)) {
        assign(point, path, value);
        (leaf.test(point) ? yes : no).push(value);
      }
      parts.push([path, no], [path, yes]);
    } else {
      const path = leaf.paths.find((candidate) => domainOf(candidate).length > 1)!;
      for (const value of domainOf(path)) parts.push([path, [value]]);
    }
    const path = parts[0]![0];
    const saved = domains.get(path);
    for (const [, values] of parts) {
      if (values.length === 0) continue;
      domains.set(path, values);
      const stop = then();
      if (stop || aborted) break;
    }
    if (saved === undefined) domains.delete(path);
    else domains.set(path, saved);
  };

  const snapshot = (): RoutingFacts => {
    const facts = structuredClone(BASE_FACTS) as unknown as Record<string, unknown>;
    for (const [path, values] of domains) assign(facts, path, values[0]);
    return facts as unknown as RoutingFacts;
  };

  const region: Region = {
    witness(shape) {
      if (!shape.decidable) return undefined;
      let found: RoutingFacts | undefined;
      const search = (): boolean => {
        if (!spend()) return true;
        const { value, leaf } = decideShape(shape);
        if (value === T) found = snapshot();
        else if (value === U) split(leaf!, search);
        return found !== undefined;
      };
      search();
      return found;
    },
  };

  const decideFrom = (from: number): void => {
    if (!spend()) return;
    for (let i = from; i < shapes.length; i++) {
      const shape = shapes[i]!;
      if (!shape.decidable) {
        for (let j = i; j < shapes.length; j++) reachable[j] = true;
        defaultReachable = true;
        return;
      }
      const { value, leaf } = decideShape(shape);
      if (value === F) continue;
      if (value === T) {
        reachable[i] = true;
        options.visit?.(region, i);
        return;
      }
      // Rules before i are false on the whole region, so also on each part of it.
      split(leaf!, () => decideFrom(i));
      return;
    }
    defaultReachable = true;
    options.visit?.(region, 'default');
  };

  decideFrom(0);
  return { complete: !aborted, reachable, defaultReachable };
}

/** Both conditions at once: used to name the earlier rules that take an unreachable rule's cases. */
export function bothShapes(a: ConditionShape, b: ConditionShape): ConditionShape {
  if (!a.decidable || !b.decidable) return UNDECIDABLE;
  return { decidable: true, root: { kind: 'and', children: [a.root, b.root] }, paths: [...new Set([...a.paths, ...b.paths])] };
}
