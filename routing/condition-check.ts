/**
 * Static checks of one rule's `when` (json-logic) before it is compiled: only whitelisted operators, `===`
 * instead of `==`, literal fact paths that exist in the fact schema (with "did you mean"), no prototype access,
 * types that can match (text vs number, enum values, dates), no bare strings where a condition is expected,
 * and size/depth limits. Every issue points at the offending node: `file:line:col`.
 */
import { issue, type ValidationIssue } from '../validation/issue.js';
import { didYouMean } from './did-you-mean.js';
import { FACT_GROUPS, FACT_PATHS, factAt, factsUnder, isIsoDate, suggestFact, type FactDescription } from './fact-schema.js';
import { OPERATOR_NAMES, OPERATOR_SYNONYMS, isOperation, operatorSpec } from './operators.js';
import { FORBIDDEN_KEYS, childPointer, type LocatedDocument } from './yaml-source.js';

export const MAX_CONDITION_DEPTH = 24;
export const MAX_CONDITION_NODES = 400;

type ValueType = 'string' | 'number' | 'boolean' | 'list' | 'null' | 'any';

interface Inferred {
  type: ValueType;
  /** Set when the value is a fact read directly. */
  fact?: FactDescription;
  /** Set when the value is a literal written in the rule. */
  literal?: { value: unknown; pointer: string };
  /** Element literals of a literal list. */
  elements?: Inferred[];
}

const ANY: Inferred = { type: 'any' };

const factValueType = (fact: FactDescription): ValueType => (fact.type === 'string[]' ? 'list' : fact.type);

function literalType(value: unknown): ValueType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return typeof value as ValueType;
  return 'any';
}

const TYPE_WORDS: Record<ValueType, string> = { string: 'text', number: 'a number', boolean: 'true/false', list: 'a list', null: 'null', any: 'anything' };

const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value));

/** How to write a literal so it has the fact's type. */
function literalFix(fact: FactDescription, value: unknown): string {
  if (fact.type === 'string') return `write it as text: '${String(value)}'`;
  if (fact.type === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return `write the number without quotes: ${Number(value)}`;
  if (fact.type === 'boolean' && (value === 'true' || value === 'false')) return `write ${value} without quotes`;
  if (fact.type === 'boolean') return 'compare with true or false, or use the fact on its own as the condition';
  return `compare with ${TYPE_WORDS[factValueType(fact)]}`;
}

const BARE_CONDITION = /^\s*([A-Za-z_][\w.]*)\s*(===|!==|==|!=|>=|<=|>|<|=)\s*['"]?([^'"]*?)['"]?\s*$/;

export interface ConditionScope {
  doc: LocatedDocument;
  /** Pointer of the condition in its file (`/rules/2/when`). */
  pointer: string;
}

export function checkCondition(logic: unknown, scope: ConditionScope): ValidationIssue[] {
  const { doc } = scope;
  const issues: ValidationIssue[] = [];
  let nodes = 0;
  let limitReported = false;
  const fail = (rule: string, message: string, at: string, severity: 'fatal' | 'warning' = 'fatal'): void => {
    issues.push(issue(rule, message, at, severity));
  };

  const bareString = (value: string, pointer: string): void => {
    const trimmed = value.trim();
    const asFact = factAt(trimmed) ? trimmed : FACT_PATHS.includes(trimmed) ? trimmed : suggestFact(trimmed);
    const comparison = BARE_CONDITION.exec(trimmed);
    let hint: string;
    if (comparison) {
      const [, path, , right] = comparison;
      const fact = factAt(path!) ?? factAt(suggestFact(path!) ?? '');
      const literal = fact?.type === 'number' || fact?.type === 'boolean' ? right : JSON.stringify(right);
      hint = ` Write it as json-logic: {"===": [{"var": "${fact?.path ?? path}"}, ${literal}]}.`;
    } else if (asFact !== undefined && factAt(asFact)?.type === 'boolean') {
      hint = ` To test the fact write {"var": "${asFact}"}.`;
    } else if (asFact !== undefined) {
      hint = ` To test the fact compare it: {"===": [{"var": "${asFact}"}, …]}.`;
    } else {
      hint = ' Write a json-logic condition, e.g. {"===": [{"var": "customer.kind"}, "public"]}, or true for a catch-all.';
    }
    fail('FF-RULE-BARE-STRING', `A bare string is not a condition: "${value}" is always true.${hint}`, doc.at(pointer));
  };

  const checkAgainstFact = (fact: FactDescription, other: Inferred, op: string): void => {
    const literal = other.literal;
    if (literal === undefined) {
      if (other.fact && other.type !== factValueType(fact) && other.type !== 'any') {
        fail('FF-RULE-TYPE', `${fact.path} is ${TYPE_WORDS[factValueType(fact)]} but ${other.fact.path} is ${TYPE_WORDS[other.type]}; '${op}' between them is never true.`, doc.at(scope.pointer));
      }
      return;
    }
    if (doc.lossy.has(literal.pointer)) return;
    const value = literal.value;
    const at = doc.at(literal.pointer);
    const valueType = literalType(value);
    if (valueType === 'null' || valueType === 'any') return;
    const factType = factValueType(fact);
    if (factType === 'list') {
      fail('FF-RULE-TYPE', `${fact.path} is a list; to test for one element write {"in": [${show(value)}, {"var": "${fact.path}"}]}.`, at);
      return;
    }
    if (valueType !== factType) {
      const never = op === '===' || op === 'in' ? ' so this is never true' : op === '!==' ? ' so this is always true' : '';
      fail('FF-RULE-TYPE', `${fact.path} is ${TYPE_WORDS[factType]} but ${show(value)} is ${TYPE_WORDS[valueType]}${never}; ${literalFix(fact, value)}.`, at);
      return;
    }
    if (typeof value !== 'string') return;
    if (fact.values && !Object.hasOwn(fact.values, value)) {
      const allowed = Object.keys(fact.values);
      const suggestion = didYouMean(value, allowed);
      fail('FF-RULE-VALUE', `${fact.path} is one of ${allowed.join(', ')}; ${show(value)} is none of them.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`, at);
    } else if (fact.format === 'date' && !isIsoDate(value)) {
      fail('FF-RULE-VALUE', `${fact.path} is compared as text written YYYY-MM-DD; ${show(value)} is not such a date, so the comparison is meaningless. Write e.g. '2027-01-01'.`, at);
    } else if (fact.format === 'orgnr' && !/^\d{9}$/.test(value)) {
      fail('FF-RULE-VALUE', `${fact.path} is 9 digits; ${show(value)} is not. Write the org number without spaces or MVA.`, at, 'warning');
    } else if (fact.values && (op === '<' || op === '<=' || op === '>' || op === '>=')) {
      fail('FF-RULE-TYPE', `${fact.path} is a name from a list; '${op}' orders names alphabetically, which means nothing here. Use '===' or 'in'.`, at, 'warning');
    }
  };

  const compare = (op: string, operands: Inferred[]): void => {
    const ordering = op !== '===' && op !== '!==';
    for (const operand of operands) {
      if (ordering && (operand.type === 'boolean' || operand.type === 'list')) {
        const at = doc.at(operand.literal?.pointer ?? scope.pointer);
        fail('FF-RULE-TYPE', `'${op}' orders numbers or dates; ${operand.fact?.path ?? show(operand.literal?.value)} is ${TYPE_WORDS[operand.type]}.`, at);
        return;
      }
    }
    const facts = operands.filter((operand) => operand.fact !== undefined);
    for (const factOperand of facts) {
      for (const other of operands) if (other !== factOperand) checkAgainstFact(factOperand.fact!, other, op);
    }
    if (facts.length === 0 && ordering) {
      const types = new Set(operands.map((o) => o.type).filter((t) => t === 'string' || t === 'number'));
      if (types.size > 1) fail('FF-RULE-TYPE', `'${op}' compares text with a number; both sides must have the same type.`, doc.at(scope.pointer));
    }
  };

  const walk = (node: unknown, pointer: string, booleanPosition: boolean, factScope: boolean, depth: number): Inferred => {
    nodes++;
    if (depth > MAX_CONDITION_DEPTH || nodes > MAX_CONDITION_NODES) {
      if (!limitReported) {
        limitReported = true;
        const what = depth > MAX_CONDITION_DEPTH ? `nested more than ${MAX_CONDITION_DEPTH} levels deep` : `larger than ${MAX_CONDITION_NODES} nodes`;
        fail('FF-RULE-LIMIT', `The condition is ${what}; split it over several rules.`, doc.at(pointer));
      }
      return ANY;
    }
    if (Array.isArray(node)) {
      if (booleanPosition) fail('FF-RULE-CONDITION', 'A list is not a condition (a non-empty list is always true); combine conditions with {"and": [ … ]} or {"or": [ … ]}.', doc.at(pointer));
      const elements = node.map((item, index) => walk(item, childPointer(pointer, index), false, factScope, depth + 1));
      return { type: 'list', elements, ...(node.every((item) => !isOperation(item)) ? { literal: { value: node, pointer } } : {}) };
    }
    if (typeof node === 'object' && node !== null) {
      if (!isOperation(node)) {
        const keys = Object.keys(node);
        if (keys.length === 0 && [...doc.dropped].some((member) => member.startsWith(`${pointer}/`))) return ANY;
        fail(
          'FF-RULE-CONDITION',
          keys.length === 0
            ? 'An empty map is not a condition; write an operator such as {"===": [{"var": "customer.kind"}, "public"]}.'
            : `A condition has exactly one operator, found ${keys.length} keys (${keys.join(', ')}); combine conditions with {"and": [ {…}, {…} ]}.`,
          doc.at(pointer),
        );
        return ANY;
      }
      return walkOperation(node, pointer, booleanPosition, factScope, depth);
    }
    if (typeof node === 'string' && booleanPosition) bareString(node, pointer);
    return { type: literalType(node), literal: { value: node, pointer } };
  };

  const walkOperation = (node: Record<string, unknown>, pointer: string, booleanPosition: boolean, factScope: boolean, depth: number): Inferred => {
    const op = Object.keys(node)[0]!;
    const raw = node[op];
    const opPointer = childPointer(pointer, op);
    const args = Array.isArray(raw) ? raw : [raw];
    const argPointer = (index: number): string => (Array.isArray(raw) ? childPointer(opPointer, index) : opPointer);
    const opAt = doc.keyAt(opPointer);
    const arg = (index: number, asCondition: boolean, inFacts = factScope): Inferred =>
      index < args.length ? walk(args[index], argPointer(index), asCondition, inFacts, depth + 1) : ANY;
    const all = (asCondition: boolean): Inferred[] => args.map((_, index) => arg(index, asCondition));

    if (FORBIDDEN_KEYS.has(op)) {
      fail('FF-RULE-PROTOTYPE', `'${op}' is not an operator and may not be used as a key.`, opAt);
      return ANY;
    }
    let name = op;
    if (op === '==' || op === '!=') {
      name = op === '==' ? '===' : '!==';
      fail('FF-RULE-LOOSE-EQUALITY', `'${op}' converts types before comparing (0 == "" and "1" == 1 are true); write '${name}'.`, opAt);
    }
    const spec = operatorSpec(name);
    if (spec === undefined) {
      const suggestion = didYouMean(op, OPERATOR_NAMES, OPERATOR_SYNONYMS);
      const why = op === 'method' ? " 'method' would let a rule call any JavaScript method, so it is not allowed." : op === 'log' ? " 'log' writes to the console and is not allowed in rules." : '';
      fail('FF-RULE-OPERATOR', `Unknown operator '${op}'.${why}${suggestion ? ` Did you mean '${suggestion}'?` : ''} Allowed: ${OPERATOR_NAMES.join(' ')}.`, opAt);
      all(false);
      return ANY;
    }
    if (args.length < spec.min || (spec.max !== undefined && args.length > spec.max)) {
      const count = spec.max === spec.min ? `${spec.min}` : spec.max === undefined ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`;
      fail('FF-RULE-ARITY', `'${name}' takes ${count} argument${spec.max === 1 && spec.min === 1 ? '' : 's'}, got ${args.length}.`, opAt);
    }

    switch (name) {
      case 'var':
        return walkVar(args, argPointer, opAt, factScope);
      case 'missing':
      case 'missing_some': {
        const listIndex = name === 'missing_some' ? 1 : Array.isArray(args[0]) ? 0 : undefined;
        const keys = listIndex === undefined ? args : args[listIndex];
        const keyPointer = (index: number): string => (listIndex === undefined ? argPointer(index) : childPointer(argPointer(listIndex), index));
        if (Array.isArray(keys) && factScope) {
          keys.forEach((key, index) => {
            if (typeof key !== 'string' || !factAt(key)) fail('FF-RULE-FACT', `Unknown fact ${show(key)}.${suggestionText(key)}`, doc.at(keyPointer(index)));
          });
        }
        return { type: 'list' };
      }
      case 'and':
      case 'or':
        all(booleanPosition);
        return { type: booleanPosition ? 'boolean' : 'any' };
      case '!':
      case '!!':
        all(true);
        return { type: 'boolean' };
      case 'if':
      case '?:':
        args.forEach((_, index) => arg(index, index % 2 === 0 && index < args.length - 1 ? true : booleanPosition));
        return ANY;
      case '===':
      case '!==':
      case '<':
      case '<=':
      case '>':
      case '>=':
        compare(name, all(false));
        return { type: 'boolean' };
      case 'in': {
        const [needle, haystack] = [arg(0, false), arg(1, false)];
        if (haystack.fact) {
          if (haystack.type === 'list') {
            if (needle.type !== 'string' && needle.type !== 'any' && !(needle.literal && doc.lossy.has(needle.literal.pointer))) fail('FF-RULE-TYPE', `${haystack.fact.path} holds text; ${show(needle.literal?.value)} is ${TYPE_WORDS[needle.type]}.`, doc.at(needle.literal?.pointer ?? pointer));
          } else if (haystack.type !== 'string') {
            fail('FF-RULE-TYPE', `'in' needs a list or a text to look in; ${haystack.fact.path} is ${TYPE_WORDS[haystack.type]}.`, doc.at(argPointer(1)));
          }
        } else if (haystack.elements && needle.fact) {
          for (const element of haystack.elements) checkAgainstFact(needle.fact, element, 'in');
        } else if (haystack.literal && typeof haystack.literal.value !== 'string' && !Array.isArray(haystack.literal.value)) {
          fail('FF-RULE-TYPE', `'in' needs a list or a text to look in; ${show(haystack.literal.value)} is neither.`, doc.at(argPointer(1)));
        }
        return { type: 'boolean' };
      }
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
      case 'min':
      case 'max':
        for (const operand of all(false)) {
          if (operand.fact && operand.type !== 'number') fail('FF-RULE-TYPE', `'${name}' does arithmetic; ${operand.fact.path} is ${TYPE_WORDS[operand.type]}.`, opAt);
          else if (operand.literal && operand.type !== 'number') fail('FF-RULE-TYPE', `'${name}' does arithmetic; ${show(operand.literal.value)} is ${TYPE_WORDS[operand.type]}.`, doc.at(operand.literal.pointer));
        }
        return { type: 'number' };
      case 'cat':
      case 'substr':
        all(false);
        return { type: 'string' };
      case 'merge':
        all(false);
        return { type: 'list' };
      default: {
        // map, filter, reduce, all, some, none: the 2nd argument runs per element, with the element as data.
        arg(0, false);
        const perElementIsCondition = name === 'filter' || name === 'all' || name === 'some' || name === 'none';
        arg(1, perElementIsCondition, false);
        if (name === 'reduce') arg(2, false);
        return { type: name === 'map' || name === 'filter' ? 'list' : name === 'reduce' ? 'any' : 'boolean' };
      }
    }
  };

  const suggestionText = (path: unknown): string => {
    const suggestion = typeof path === 'string' ? suggestFact(path) : undefined;
    return `${suggestion ? ` Did you mean '${suggestion}'?` : ''} The facts are listed by 'fakturaflyt rules facts'.`;
  };

  const walkVar = (args: unknown[], argPointer: (index: number) => string, opAt: string, factScope: boolean): Inferred => {
    const path = args[0];
    const at = doc.at(argPointer(0));
    if (args[1] !== undefined) walk(args[1], argPointer(1), false, factScope, 0);
    if (typeof path !== 'string' && typeof path !== 'number') {
      fail('FF-RULE-VAR', 'A fact path must be written out as text, e.g. {"var": "customer.kind"}; computed paths cannot be checked.', path === undefined ? opAt : at);
      return ANY;
    }
    const segments = String(path).split('.');
    const forbidden = segments.find((segment) => FORBIDDEN_KEYS.has(segment));
    if (forbidden !== undefined) {
      fail('FF-RULE-PROTOTYPE', `'${forbidden}' reaches into JavaScript object prototypes and may not be read.`, at);
      return ANY;
    }
    if (!factScope) return ANY;
    const key = String(path);
    const fact = factAt(key);
    if (fact) return { type: factValueType(fact), fact };
    if (key === '') {
      fail('FF-RULE-FACT', 'An empty path reads all facts at once; name one fact, e.g. {"var": "customer.kind"}.', at);
    } else if (FACT_GROUPS.includes(key)) {
      fail('FF-RULE-FACT', `'${key}' is a group of facts, not a value; read one of ${factsUnder(key).join(', ')}.`, at);
    } else {
      fail('FF-RULE-FACT', `Unknown fact '${key}'.${suggestionText(key)}`, at);
    }
    return ANY;
  };

  walk(logic, scope.pointer, true, true, 0);
  return issues;
}
