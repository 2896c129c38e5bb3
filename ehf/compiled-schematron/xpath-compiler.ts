/**
 * XPath 2.0 → JavaScript closures. fontoxpath parses the expression (its XQueryX AST, W3C "XQueryX 3.1"); we walk that
 * AST once, at load time, and return closures over the light tree (light-tree.ts) and the values of xpath-values.ts.
 * What we do not implement is refused here with a CompileError naming the construct: the reader then reports the
 * assert as not compiled rather than guessing its meaning.
 */
import fontoxpath from 'fontoxpath';
import { DOMImplementation, XMLSerializer, type Element } from '@xmldom/xmldom';
import { internedLocal, internedNamespace, Kind, nameKey, type XDocument, XNode } from './light-tree.js';
import {
  arithmetic,
  castable,
  documentOrder,
  ebv,
  EMPTY,
  FALSE,
  generalCompare,
  negate,
  toBoolean,
  toDate,
  toDecimal,
  toDouble,
  toInteger,
  stringOf,
  TRUE,
  valueCompare,
  XPathError,
  Decimal,
  type ArithOp,
  type Atomic,
  type CompareOp,
  type Item,
  type Seq,
} from './xpath-values.js';
import { BUILTINS, nonBlank, optionalString, type Builtin } from './xpath-functions.js';

/** Evaluation state of one document: local variable slots, lazily computed globals, XSLT's current(). */
export interface Env {
  vars: Seq[];
  doc: XDocument;
  current: Item;
  global(index: number): Seq;
  /** Values of repeated subexpressions for this document (see XPathCompiler.memoized). */
  memo: Map<number, unknown>;
}

/** A compiled expression: context item, position, size, env → sequence. */
export type Fn = (item: Item, pos: number, size: number, env: Env) => Seq;
export type BoolFn = (item: Item, pos: number, size: number, env: Env) => boolean;

export class CompileError extends Error {}

/** A user function (xsl:function), compiled on first call so that functions may call each other. */
export interface UserFunction {
  arity: number;
  frameSize: number;
  body: () => Fn;
}

export interface StaticContext {
  namespaces: Record<string, string>;
  /** Local variables in scope → slot. */
  scope: Map<string, number>;
  /** The next free slot of the current frame; the frame's size is the largest reached. */
  frame: { next: number; size: number };
  globals: Map<string, number>;
  functions: Map<string, UserFunction>;
  /** How often each memoizable subexpression occurs in the stylesheet (canonical text → count), see repeatedExpressions. */
  repeats?: Map<string, number>;
  /** Rule-level variables: evaluated on first use, with the rule's context node (Saxon evaluates them lazily too). */
  lazy?: Map<number, Fn>;
}

const XQX = 'http://www.w3.org/2005/XQueryX';
const FN = 'http://www.w3.org/2005/xpath-functions';
const XS = 'http://www.w3.org/2001/XMLSchema';
const domDocument = new DOMImplementation().createDocument(null, null as never);

type Ast = Element;

const parsed = new Map<string, Ast>();

export function parseXPath(expression: string): Ast {
  let ast = parsed.get(expression);
  if (!ast) parsed.set(expression, (ast = parseUncached(expression)));
  return ast;
}

function parseUncached(expression: string): Ast {
  let module: Element;
  try {
    module = fontoxpath.parseScript(expression, { language: fontoxpath.evaluateXPath.XPATH_3_1_LANGUAGE, debug: false }, domDocument as never) as unknown as Element;
  } catch (err) {
    throw new CompileError(`fontoxpath cannot parse ${JSON.stringify(expression)}: ${(err as Error).message.split('\n')[0]}`);
  }
  const body = first(first(module, 'mainModule'), 'queryBody');
  return only(body);
}

function children(node: Ast): Ast[] {
  const out: Ast[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === 1 && (c as Element).namespaceURI === XQX) out.push(c as Element);
  return out;
}
function maybe(node: Ast, local: string): Ast | undefined {
  return children(node).find((c) => c.localName === local);
}
function first(node: Ast, local: string): Ast {
  const found = maybe(node, local);
  if (!found) throw new CompileError(`expected ${local} in ${node.localName}`);
  return found;
}
function only(node: Ast): Ast {
  const list = children(node);
  if (list.length !== 1) throw new CompileError(`expected one child in ${node.localName}`);
  return list[0]!;
}
const textOf = (node: Ast): string => node.textContent ?? '';
/** A name test's local name as the light tree's own string (keysOf there): a name test then compares by identity. */
const localNameOf = (test: Ast): string => internedLocal(textOf(test));

// ---------------------------------------------------------------------------------------------------------------

const COMPARISONS: Record<string, [CompareOp, boolean]> = {
  equalOp: ['eq', true],
  notEqualOp: ['ne', true],
  lessThanOp: ['lt', true],
  lessThanOrEqualOp: ['le', true],
  greaterThanOp: ['gt', true],
  greaterThanOrEqualOp: ['ge', true],
  eqOp: ['eq', false],
  neOp: ['ne', false],
  ltOp: ['lt', false],
  leOp: ['le', false],
  gtOp: ['gt', false],
  geOp: ['ge', false],
};
const ARITHMETIC: Record<string, ArithOp> = { addOp: '+', subtractOp: '-', multiplyOp: '*', divOp: 'div', idivOp: 'idiv', modOp: 'mod' };

export class XPathCompiler {
  constructor(readonly ctx: StaticContext) {}

  compile(ast: Ast): Fn {
    const fn = this.compileUncached(ast);
    return this.memoized(ast, fn, 'seq') ?? fn;
  }

  /**
   * The rules repeat expensive subexpressions: the same sums over the lines in the `<` and `>` halves of BR-S-08 and
   * its siblings, the same `//cac:TaxCategory[...]` in BR-AE-01, BR-E-01, … . A subexpression that occurs more than once
   * in the stylesheet and is not trivial is evaluated once per document, context node and values of the variables it
   * reads. Sound because the document does not change while the rules run and XPath expressions have no side
   * effects; not done for expressions that read position(), last() or current(), whose value depends on more.
   */
  private memoized<T extends Fn | BoolFn>(ast: Ast, fn: T, as: 'seq' | 'bool'): T | undefined {
    const repeats = this.ctx.repeats;
    if (!repeats || !isMemoCandidate(ast)) return undefined;
    const text = canonical(ast);
    if ((repeats.get(text) ?? 0) < 2) return undefined;
    if ([...(ast.getElementsByTagNameNS(XQX, 'functionName') as unknown as Ast[])].some((f) => ['position', 'last', 'current'].includes(textOf(f)))) return undefined;
    const free = freeVariables(ast);
    const slots: number[] = [];
    for (const name of free) {
      const slot = this.ctx.scope.get(name);
      if (slot === undefined) {
        if (this.ctx.globals.has(name)) continue; // a global is one value per document
        return undefined;
      }
      if (this.ctx.lazy?.has(slot)) return undefined;
      slots.push(slot);
    }
    const contextFree = children(ast)[0]?.localName === 'rootExpr';
    const id = memoIds.get(`${as} ${text}`) ?? memoIds.set(`${as} ${text}`, memoIds.size).get(`${as} ${text}`)!;
    const inner = fn as Fn;
    const memo = (i: Item, p: number, s: number, e: Env) => {
      let level = e.memo.get(id) as Map<unknown, unknown> | undefined;
      if (!level) e.memo.set(id, (level = new Map()));
      let key: unknown = contextFree ? null : i;
      for (const slot of slots) {
        let next = level.get(key) as Map<unknown, unknown> | undefined;
        if (!next) level.set(key, (next = new Map()));
        level = next;
        const v = e.vars[slot]!;
        if (v.length !== 1) return inner(i, p, s, e); // sequences as keys: not worth it
        key = memoKey(v[0]!);
      }
      if (level.has(key)) return level.get(key);
      const value = inner(i, p, s, e);
      level.set(key, value);
      return value;
    };
    return memo as unknown as T;
  }

  private compileUncached(ast: Ast): Fn {
    const kind = ast.localName ?? '';
    if (kind in COMPARISONS) {
      const [op, general] = COMPARISONS[kind]!;
      const a = this.operand(ast, 'firstOperand');
      const b = this.operand(ast, 'secondOperand');
      if (general) return (i, p, s, e) => (generalCompare(op, a(i, p, s, e), b(i, p, s, e)) ? TRUE : FALSE);
      return (i, p, s, e) => valueCompare(op, a(i, p, s, e), b(i, p, s, e));
    }
    if (kind in ARITHMETIC) {
      const op = ARITHMETIC[kind]!;
      const a = this.operand(ast, 'firstOperand');
      const b = this.operand(ast, 'secondOperand');
      return (i, p, s, e) => arithmetic(op, a(i, p, s, e), b(i, p, s, e));
    }
    switch (kind) {
      case 'andOp':
      case 'orOp': {
        const f = this.compileBool(ast);
        return (i, p, s, e) => (f(i, p, s, e) ? TRUE : FALSE);
      }
      case 'unaryMinusOp': {
        const a = this.compile(only(first(ast, 'operand')));
        return (i, p, s, e) => {
          const v = a(i, p, s, e);
          if (v.length === 0) return EMPTY;
          if (v.length > 1) throw new XPathError('XPTY0004', 'unary minus on more than one item');
          return [negate(v[0]!)];
        };
      }
      case 'unaryPlusOp':
        return this.compile(only(first(ast, 'operand')));
      case 'stringConstantExpr': {
        const v = [textOf(first(ast, 'value'))];
        return () => v;
      }
      case 'integerConstantExpr': {
        const v = [BigInt(textOf(first(ast, 'value')))];
        return () => v;
      }
      case 'decimalConstantExpr': {
        const v = [toDecimal(textOf(first(ast, 'value')))];
        return () => v;
      }
      case 'doubleConstantExpr': {
        const v = [Number(textOf(first(ast, 'value')))];
        return () => v;
      }
      case 'contextItemExpr':
        return (i) => [i];
      case 'varRef':
        return this.varRef(ast);
      case 'sequenceExpr': {
        const parts = children(ast).map((c) => this.compile(c));
        if (parts.length === 1) return parts[0]!;
        if (parts.length === 0) return () => EMPTY;
        return (i, p, s, e) => {
          const out: Item[] = [];
          for (const part of parts) for (const x of part(i, p, s, e)) out.push(x);
          return out;
        };
      }
      case 'unionOp':
      case 'intersectOp':
      case 'exceptOp': {
        const a = this.operand(ast, 'firstOperand');
        const b = this.operand(ast, 'secondOperand');
        return (i, p, s, e) => {
          const x = nodesOf(a(i, p, s, e));
          const y = nodesOf(b(i, p, s, e));
          if (kind === 'unionOp') return documentOrder([...x, ...y]);
          const ys = new Set(y);
          return documentOrder(x.filter((n) => (kind === 'intersectOp' ? ys.has(n) : !ys.has(n))));
        };
      }
      case 'rangeSequenceExpr': {
        const a = this.compile(only(first(ast, 'startExpr')));
        const b = this.compile(only(first(ast, 'endExpr')));
        return (i, p, s, e) => {
          const x = a(i, p, s, e);
          const y = b(i, p, s, e);
          if (x.length === 0 || y.length === 0) return EMPTY;
          const from = toInteger(x[0]!);
          const to = toInteger(y[0]!);
          const out: Item[] = [];
          for (let k = from; k <= to; k++) out.push(k);
          return out;
        };
      }
      case 'ifThenElseExpr': {
        const c = this.compileBool(only(first(ast, 'ifClause')));
        const t = this.compile(only(first(ast, 'thenClause')));
        const f = this.compile(only(first(ast, 'elseClause')));
        return (i, p, s, e) => (c(i, p, s, e) ? t(i, p, s, e) : f(i, p, s, e));
      }
      case 'quantifiedExpr': {
        const f = this.compileBool(ast);
        return (i, p, s, e) => (f(i, p, s, e) ? TRUE : FALSE);
      }
      case 'flworExpr':
        return this.forExpr(ast);
      case 'castExpr':
      case 'castableExpr':
        return this.cast(ast);
      case 'functionCallExpr':
        return this.functionCall(ast);
      case 'pathExpr':
        return this.path(ast);
      case 'stringConcatenateOp':
        throw new CompileError('|| is XPath 3.0, not in these XPath 2.0 rules');
      default:
        throw new CompileError(`XPath construct ${kind} is not supported`);
    }
  }

  /** An expression in a boolean context: its effective boolean value, without building sequences where we can. */
  compileBool(ast: Ast): BoolFn {
    const kind = ast.localName ?? '';
    if (kind === 'andOp' || kind === 'orOp') {
      const a = this.compileBool(only(first(ast, 'firstOperand')));
      const b = this.compileBool(only(first(ast, 'secondOperand')));
      return kind === 'andOp' ? (i, p, s, e) => a(i, p, s, e) && b(i, p, s, e) : (i, p, s, e) => a(i, p, s, e) || b(i, p, s, e);
    }
    if (kind in COMPARISONS && COMPARISONS[kind]![1]) {
      const op = COMPARISONS[kind]![0];
      const a = this.operand(ast, 'firstOperand');
      const b = this.operand(ast, 'secondOperand');
      return (i, p, s, e) => generalCompare(op, a(i, p, s, e), b(i, p, s, e));
    }
    if (kind === 'quantifiedExpr') return this.quantified(ast);
    if (kind === 'pathExpr') {
      const any = this.simplePathExists(ast);
      if (any) return this.memoized(ast, any, 'bool') ?? any;
    }
    if (kind === 'functionCallExpr') {
      const { uri, local, args } = this.callParts(ast);
      const affix = uri === FN ? this.nameAffixTest(ast, local, args) : undefined;
      if (affix) return affix;
      if (uri === FN && args.length <= 1) {
        if (local === 'true' && args.length === 0) return () => true;
        if (local === 'false' && args.length === 0) return () => false;
        if (local === 'not' && args.length === 1) {
          const a = this.compileBool(args[0]!);
          return (i, p, s, e) => !a(i, p, s, e);
        }
        if (local === 'boolean' && args.length === 1) return this.compileBool(args[0]!);
        if (local === 'normalize-space') {
          // Only whether anything is left counts here (Peppol asks every element `//*[not(*) and not(normalize-space())]`):
          // no sequence and no string is built.
          const a = args.length === 1 ? this.compile(args[0]!) : undefined;
          return (i, p, s, e) => nonBlank(a ? [a(i, p, s, e)] : [], i);
        }
        if ((local === 'exists' || local === 'empty') && args.length === 1) {
          const any = this.simplePathExists(args[0]!);
          if (any) return local === 'exists' ? any : (i, p, s, e) => !any(i, p, s, e);
          const a = this.compile(args[0]!);
          return local === 'exists' ? (i, p, s, e) => a(i, p, s, e).length > 0 : (i, p, s, e) => a(i, p, s, e).length === 0;
        }
      }
    }
    const f = this.compile(ast);
    return (i, p, s, e) => ebv(f(i, p, s, e));
  }

  private operand(ast: Ast, which: 'firstOperand' | 'secondOperand'): Fn {
    return this.compile(only(first(ast, which)));
  }

  private varRef(ast: Ast): Fn {
    const name = textOf(first(ast, 'name'));
    const slot = this.ctx.scope.get(name);
    const lazy = slot === undefined ? undefined : this.ctx.lazy?.get(slot);
    if (lazy) return (_i, _p, _s, e) => e.vars[slot!] ?? (e.vars[slot!] = lazy(e.current, 1, 1, e));
    if (slot !== undefined) return (_i, _p, _s, e) => e.vars[slot]!;
    const global = this.ctx.globals.get(name);
    if (global !== undefined) return (_i, _p, _s, e) => e.global(global);
    throw new CompileError(`variable $${name} is not declared`);
  }

  /** Binds a variable for the duration of `body`; slots are reused by sibling scopes. */
  private withVariable<T>(name: string, body: (slot: number) => T): T {
    const slot = this.ctx.frame.next++;
    this.ctx.frame.size = Math.max(this.ctx.frame.size, this.ctx.frame.next);
    const previous = this.ctx.scope.get(name);
    this.ctx.scope.set(name, slot);
    try {
      return body(slot);
    } finally {
      if (previous === undefined) this.ctx.scope.delete(name);
      else this.ctx.scope.set(name, previous);
      this.ctx.frame.next--;
    }
  }

  private bindings(clauses: { name: string; source: Ast }[], body: () => (slots: number[]) => BoolFn | Fn): { sources: Fn[]; slots: number[]; inner: BoolFn | Fn } {
    const sources: Fn[] = [];
    const slots: number[] = [];
    const step = (k: number): BoolFn | Fn => {
      if (k === clauses.length) return body()(slots);
      sources.push(this.compile(clauses[k]!.source));
      return this.withVariable(clauses[k]!.name, (slot) => {
        slots.push(slot);
        return step(k + 1);
      });
    };
    const inner = step(0);
    return { sources, slots, inner };
  }

  private quantified(ast: Ast): BoolFn {
    const some = textOf(first(ast, 'quantifier')) === 'some';
    const clauses = children(ast)
      .filter((c) => c.localName === 'quantifiedExprInClause')
      .map((c) => ({ name: textOf(first(first(c, 'typedVariableBinding'), 'varName')), source: only(first(c, 'sourceExpr')), typed: maybe(first(c, 'typedVariableBinding'), 'typeDeclaration') }));
    if (clauses.some((c) => c.typed)) throw new CompileError('typed variable bindings are not supported');
    const predicate = only(first(ast, 'predicateExpr'));
    // `some $code in $ISO4217 satisfies @currencyID = $code` is `@currencyID = $ISO4217`: general comparisons are
    // existential already (XPath 2.0 §3.5.2), and the other side does not read $code.
    if (some && clauses.length === 1 && predicate.localName! in COMPARISONS && COMPARISONS[predicate.localName!]![1]) {
      const [a, b] = [only(first(predicate, 'firstOperand')), only(first(predicate, 'secondOperand'))];
      const isVar = (x: Ast) => x.localName === 'varRef' && textOf(first(x, 'name')) === clauses[0]!.name;
      const reads = (x: Ast) => isVar(x) || [...(x.getElementsByTagNameNS(XQX, 'varRef') as unknown as Ast[])].some((r) => textOf(first(r, 'name')) === clauses[0]!.name);
      const op = COMPARISONS[predicate.localName!]![0];
      if ((isVar(b) && !reads(a)) || (isVar(a) && !reads(b))) {
        const other = this.compile(isVar(b) ? a : b);
        const source = this.compile(clauses[0]!.source);
        const flipped: Record<CompareOp, CompareOp> = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };
        return isVar(b)
          ? (i, p, s, e) => generalCompare(op, other(i, p, s, e), source(i, p, s, e))
          : (i, p, s, e) => generalCompare(flipped[op], other(i, p, s, e), source(i, p, s, e));
      }
    }
    const { sources, slots, inner } = this.bindings(clauses, () => () => this.compileBool(predicate));
    const test = inner as BoolFn;
    const loop = (k: number, i: Item, p: number, s: number, e: Env): boolean => {
      if (k === sources.length) return test(i, p, s, e);
      for (const x of sources[k]!(i, p, s, e)) {
        e.vars[slots[k]!] = [x];
        if (loop(k + 1, i, p, s, e) === some) return some;
      }
      return !some;
    };
    return (i, p, s, e) => loop(0, i, p, s, e);
  }

  private forExpr(ast: Ast): Fn {
    const parts = children(ast);
    const clauses: { name: string; source: Ast }[] = [];
    for (const part of parts) {
      if (part.localName === 'forClause') {
        for (const item of children(part)) {
          const binding = first(item, 'typedVariableBinding');
          if (maybe(binding, 'typeDeclaration') || maybe(item, 'positionalVariableBinding')) throw new CompileError('typed or positional for bindings are not supported');
          clauses.push({ name: textOf(first(binding, 'varName')), source: only(first(item, 'forExpr')) });
        }
      } else if (part.localName !== 'returnClause') throw new CompileError(`${part.localName} in a for expression is not XPath 2.0`);
    }
    const ret = only(first(ast, 'returnClause'));
    const { sources, slots, inner } = this.bindings(clauses, () => () => this.compile(ret));
    const body = inner as Fn;
    return (i, p, s, e) => {
      const out: Item[] = [];
      const loop = (k: number) => {
        if (k === sources.length) {
          for (const x of body(i, p, s, e)) out.push(x);
          return;
        }
        for (const x of sources[k]!(i, p, s, e)) {
          e.vars[slots[k]!] = [x];
          loop(k + 1);
        }
      };
      loop(0);
      return out;
    };
  }

  private cast(ast: Ast): Fn {
    const arg = this.compile(only(first(ast, 'argExpr')));
    const single = first(ast, 'singleType');
    const type = first(single, 'atomicType');
    const uri = this.ctx.namespaces[type.getAttributeNS(XQX, 'prefix') ?? ''];
    const optional = !!maybe(single, 'optional');
    if (uri !== XS) throw new CompileError(`cast to ${textOf(type)} is not supported`);
    const caster = CASTS[textOf(type)];
    if (!caster) throw new CompileError(`cast to xs:${textOf(type)} is not supported`);
    if (ast.localName === 'castableExpr') {
      return (i, p, s, e) => {
        const v = arg(i, p, s, e);
        if (v.length === 0) return optional ? TRUE : FALSE;
        if (v.length > 1) return FALSE;
        return castable(v[0]!, caster) ? TRUE : FALSE;
      };
    }
    return (i, p, s, e) => {
      const v = arg(i, p, s, e);
      if (v.length === 0) {
        if (optional) return EMPTY;
        throw new XPathError('XPTY0004', 'empty sequence cast without ?');
      }
      if (v.length > 1) throw new XPathError('XPTY0004', 'cast of more than one item');
      return [caster(v[0]!)];
    };
  }

  private callParts(ast: Ast): { uri: string; local: string; args: Ast[] } {
    const nameNode = first(ast, 'functionName');
    const prefix = nameNode.getAttributeNS(XQX, 'prefix') ?? '';
    const uri = nameNode.getAttributeNS(XQX, 'URI') || (prefix === '' ? FN : this.ctx.namespaces[prefix]);
    if (uri === undefined) throw new CompileError(`undeclared function prefix ${prefix}`);
    return { uri, local: textOf(nameNode), args: children(first(ast, 'arguments')) };
  }

  private functionCall(ast: Ast): Fn {
    const { uri, local, args } = this.callParts(ast);
    if (uri === XS) {
      const caster = CASTS[local];
      if (!caster || args.length !== 1) throw new CompileError(`constructor xs:${local} is not supported`);
      const a = this.compile(args[0]!);
      return (i, p, s, e) => {
        const v = a(i, p, s, e);
        if (v.length === 0) return EMPTY;
        if (v.length > 1) throw new XPathError('XPTY0004', `xs:${local}() of more than one item`);
        return [caster(v[0]!)];
      };
    }
    if (uri === FN) {
      if (['not', 'boolean', 'exists', 'empty', 'true', 'false'].includes(local)) {
        const f = this.compileBool(ast);
        return (i, p, s, e) => (f(i, p, s, e) ? TRUE : FALSE);
      }
      const codeList = local === 'contains' && args.length === 2 ? this.codeListContains(args[0]!, args[1]!) : undefined;
      if (codeList) return codeList;
      const builtin: Builtin | undefined = BUILTINS[local];
      if (!builtin) throw new CompileError(`function ${local}#${args.length} is not supported`);
      if (args.length < builtin.min || args.length > builtin.max) throw new CompileError(`function ${local} with ${args.length} arguments`);
      const fns = args.map((a) => this.compile(a));
      const impl = builtin.impl;
      if (fns.length === 0) return (i, p, s, e) => impl([], i, p, s, e);
      if (fns.length === 1) {
        const a = fns[0]!;
        return (i, p, s, e) => impl([a(i, p, s, e)], i, p, s, e);
      }
      return (i, p, s, e) =>
        impl(
          fns.map((f) => f(i, p, s, e)),
          i,
          p,
          s,
          e,
        );
    }
    const user = this.ctx.functions.get(`${uri}#${local}#${args.length}`);
    if (!user) throw new CompileError(`function {${uri}}${local}#${args.length} is not declared`);
    const fns = args.map((a) => this.compile(a));
    let body: Fn | undefined;
    return (i, p, s, e) => {
      body ??= user.body();
      const vars: Seq[] = new Array(user.frameSize);
      for (let k = 0; k < fns.length; k++) vars[k] = fns[k]!(i, p, s, e);
      // A function body has no context item (XSLT 2.0 §10.3); Saxon raises XPDY0002 if it reads one.
      return body(undefined as never, 0, 0, { vars, doc: e.doc, current: undefined as never, global: e.global, memo: e.memo });
    };
  }

  /**
   * `ends-with(name(), 'Amount')` and its kin (starts-with, contains; name() or local-name() of the context node): the
   * CEN rules match `//*[ends-with(name(), 'Amount') …]` and `//*[ends-with(name(), 'BinaryObject')]` against every
   * element, so the test reads the node's name directly instead of building sequences; anything but a node as context
   * takes the general way (and its errors).
   */
  private nameAffixTest(ast: Ast, local: string, args: Ast[]): BoolFn | undefined {
    if (!['ends-with', 'starts-with', 'contains'].includes(local) || args.length !== 2) return undefined;
    const [of, literal] = args as [Ast, Ast];
    if (of.localName !== 'functionCallExpr' || literal.localName !== 'stringConstantExpr') return undefined;
    const inner = this.callParts(of);
    if (inner.uri !== FN || inner.args.length !== 0 || (inner.local !== 'name' && inner.local !== 'local-name')) return undefined;
    const text = textOf(first(literal, 'value'));
    const test = local === 'ends-with' ? (x: string) => x.endsWith(text) : local === 'starts-with' ? (x: string) => x.startsWith(text) : (x: string) => x.includes(text);
    const general = this.compile(ast);
    const qualified = inner.local === 'name';
    return (i, p, s, e) => (i instanceof XNode ? test(qualified ? i.name : i.local) : ebv(general(i, p, s, e)));
  }

  /**
   * `contains(' 10 11 13 … ', concat(' ', $code, ' '))`, the code-list test of BR-CL-03, BR-CL-23 and their siblings,
   * asked of every line against lists of thousands of codes: a space-free code is in the list exactly when it is one of
   * the list's segments between two spaces, so a set answers; anything else (a code with a space) reads the list.
   */
  private codeListContains(listAst: Ast, probeAst: Ast): Fn | undefined {
    if (listAst.localName !== 'stringConstantExpr') return undefined;
    const list = textOf(first(listAst, 'value'));
    if (list.length < 256) return undefined;
    const segments = list.split(' ');
    const between = new Set(segments.slice(1, -1));
    const probe = this.compile(probeAst);
    return (i, p, s, e) => {
      const text = optionalString(probe(i, p, s, e), 'contains');
      const inner = text.slice(1, -1);
      const found = text.length >= 2 && text[0] === ' ' && text[text.length - 1] === ' ' && !inner.includes(' ') ? between.has(inner) : list.includes(text);
      return found ? TRUE : FALSE;
    };
  }

  // ---- paths ----

  private path(ast: Ast): Fn {
    const simple = this.simplePath(ast);
    if (simple) {
      const { fromRoot, steps } = simple;
      return (i, _p, _s, e) => {
        if (!(i instanceof XNode)) throw new XPathError('XPTY0019', 'a path step on an atomic value');
        const from = fromRoot ? i.doc.root : i;
        const rare = rareCandidates(from, steps);
        if (rare) {
          let out: XNode[] | undefined;
          for (const c of rare) if (matchesUpward(c, from, steps, steps.length - 1, e)) (out ??= []).push(c);
          return out ?? EMPTY;
        }
        return collectPath(from, steps, 0, e, undefined) ?? EMPTY;
      };
    }
    const parts = children(ast);
    const steps: ((input: Item[], e: Env) => Item[])[] = [];
    let start: Fn | undefined;
    let k = 0;
    if (parts[0]?.localName === 'rootExpr') {
      start = (i) => {
        if (!(i instanceof XNode)) throw new XPathError('XPDY0050', 'the context item for / is not a node');
        return [i.doc.root];
      };
      k = 1;
    }
    for (; k < parts.length; k++) {
      const step = parts[k]!;
      // `//(a|b)` and `//a` from the document node: the name index instead of a walk over every node.
      if (isDescendantOrSelfNode(step) && k + 1 < parts.length) {
        const next = parts[k + 1]!;
        const names = this.childNames(next);
        if (names) {
          const predicates = maybe(next, 'predicates');
          const preds = maybe(next, 'xpathAxis') && predicates ? children(predicates).map((p) => this.predicate(p)) : [];
          const lookup = descendantsNamed(names, 'element');
          steps.push(preds.length === 0 ? lookup : (input, e) => preds.reduce((r, pred) => pred(r, e), lookup(input, e)));
          k++;
          continue;
        }
        if (textOf(maybe(next, 'xpathAxis') ?? next) === 'attribute' && maybe(next, 'nameTest') && !maybe(next, 'predicates')) {
          const name = maybe(next, 'nameTest')!;
          const ns = (name.getAttributeNS(XQX, 'prefix') ?? '') === '' ? '' : this.elementNamespace(name);
          steps.push(descendantsNamed([{ ns, local: localNameOf(name) }], 'attribute'));
          k++;
          continue;
        }
      }
      steps.push(this.step(step));
    }
    if (!start && steps.length === 1 && parts[0]?.localName === 'stepExpr' && maybe(parts[0], 'filterExpr')) {
      // A lone filter expression, e.g. `$x[2]`: no document-order sort of its (possibly atomic) result.
      const only1 = steps[0]!;
      return (i, _p, _s, e) => only1([i], e);
    }
    return (i, _p, _s, e) => {
      let current: Item[] = start ? start(i, 0, 0, e) : [i];
      for (const step of steps) {
        if (current.length === 0) return EMPTY;
        current = step(current, e);
      }
      return current;
    };
  }

  /**
   * A path of child and attribute name steps with non-positional predicates (`cac:Item/cbc:Name`, `@schemeID`,
   * `/Invoice/cac:TaxTotal[...]`): from one context node, nested loops give document order without sorting, and
   * exists() can stop at the first node, without building the intermediate sequences.
   */
  private simplePath(ast: Ast): { fromRoot: boolean; steps: SimpleStep[] } | undefined {
    if (ast.localName !== 'pathExpr') return undefined;
    const parts = children(ast);
    let fromRoot = false;
    let k = 0;
    if (parts[0]?.localName === 'rootExpr') {
      fromRoot = true;
      k = 1;
    }
    if (k === parts.length) return undefined;
    const steps: SimpleStep[] = [];
    let attribute = false;
    for (; k < parts.length; k++) {
      const step = parts[k]!;
      const axis = maybe(step, 'xpathAxis');
      if (attribute) return undefined;
      if (!axis) {
        // `(cac:InvoiceLine|cac:CreditNoteLine)`: one step with several names
        const names = maybe(step, 'predicates') ? undefined : this.childNames(step);
        if (!names || names.length < 2) return undefined;
        steps.push({ attribute: false, any: false, names: names.map((n) => ({ ...n, key: nameKey(n.ns, n.local) })), preds: [] });
        continue;
      }
      const a = textOf(axis);
      if (a !== 'child' && a !== 'attribute') return undefined;
      attribute = a === 'attribute';
      const predicates = maybe(step, 'predicates');
      if (predicates && !children(predicates).every((p) => this.isBooleanPredicate(p))) return undefined;
      const nameTest = maybe(step, 'nameTest');
      const wildcard = maybe(step, 'Wildcard');
      if (!nameTest && !(wildcard && children(wildcard).length === 0)) return undefined;
      const ns = nameTest ? (attribute && (nameTest.getAttributeNS(XQX, 'prefix') ?? '') === '' ? '' : this.elementNamespace(nameTest)) : '';
      const local = nameTest ? localNameOf(nameTest) : '';
      steps.push({
        attribute,
        any: !nameTest,
        names: [{ ns, local, key: nameKey(ns, local) }],
        preds: predicates ? children(predicates).map((p) => this.compileBool(p)) : [],
      });
    }
    return { fromRoot, steps };
  }

  private simplePathExists(ast: Ast): BoolFn | undefined {
    const simple = this.simplePath(ast);
    if (!simple) return undefined;
    const { fromRoot, steps } = simple;
    return (i, _p, _s, e) => {
      if (!(i instanceof XNode)) throw new XPathError('XPTY0019', 'a path step on an atomic value');
      const from = fromRoot ? i.doc.root : i;
      const rare = rareCandidates(from, steps);
      if (rare) {
        for (const c of rare) if (matchesUpward(c, from, steps, steps.length - 1, e)) return true;
        return false;
      }
      return existsPath(from, steps, 0, e);
    };
  }

  /** For `a`, `(a|b|c)`: the names of plain child steps, so `//` can use the index. */
  private childNames(step: Ast): { ns: string; local: string }[] | undefined {
    const single = (s: Ast, allowPredicates: boolean): { ns: string; local: string } | undefined => {
      if (textOf(maybe(s, 'xpathAxis') ?? s) !== 'child') return undefined;
      // `//x[p]` is descendant-or-self::node()/child::x[p]: the same as filtering all x only if p is not positional.
      const predicates = maybe(s, 'predicates');
      if (predicates && !(allowPredicates && children(predicates).every((p) => this.isBooleanPredicate(p)))) return undefined;
      const test = maybe(s, 'nameTest');
      if (!test) return undefined;
      return { ns: this.elementNamespace(test), local: localNameOf(test) };
    };
    if (maybe(step, 'xpathAxis')) {
      const one = single(step, true);
      return one && [one];
    }
    const filter = maybe(step, 'filterExpr');
    if (!filter || maybe(step, 'predicates')) return undefined;
    let expr = only(filter);
    if (expr.localName === 'sequenceExpr') expr = only(expr);
    const out: { ns: string; local: string }[] = [];
    const collect = (x: Ast): boolean => {
      if (x.localName === 'unionOp') return collect(only(first(x, 'firstOperand'))) && collect(only(first(x, 'secondOperand')));
      if (x.localName !== 'pathExpr') return false;
      const ps = children(x);
      if (ps.length !== 1 || ps[0]!.localName !== 'stepExpr') return false;
      const one = single(ps[0]!, false);
      if (!one) return false;
      // `(a:X|b:X)` with a and b bound to one namespace, or one name twice: a union has each node once, so each name
      // is here once (the steps built on these names join the name index's lists, test/unit/ehf/compiled-xpath-union.test.ts).
      if (!out.some((o) => o.ns === one.ns && o.local === one.local)) out.push(one);
      return true;
    };
    return collect(expr) ? out : undefined;
  }

  private elementNamespace(test: Ast): string {
    const prefix = test.getAttributeNS(XQX, 'prefix') ?? '';
    if (prefix === '') return ''; // no xpath-default-namespace in these stylesheets
    const ns = this.ctx.namespaces[prefix];
    if (ns === undefined) throw new CompileError(`undeclared prefix ${prefix}`);
    return internedNamespace(ns);
  }

  private step(step: Ast): (input: Item[], e: Env) => Item[] {
    const predicates = maybe(step, 'predicates');
    const preds = predicates ? children(predicates).map((p) => this.predicate(p)) : [];
    const filter = maybe(step, 'filterExpr');
    if (filter) {
      const expr = this.compile(only(filter));
      return (input, e) => {
        const out: Item[] = [];
        let allNodes = true;
        for (let n = 0; n < input.length; n++) {
          let r = expr(input[n]!, n + 1, input.length, e);
          for (const pred of preds) r = pred(r, e);
          for (const x of r) {
            if (!(x instanceof XNode)) allNodes = false;
            out.push(x);
          }
        }
        return allNodes && input.length > 1 ? documentOrder(out as XNode[]) : out;
      };
    }
    const axis = textOf(first(step, 'xpathAxis'));
    const test = this.nodeTest(step, axis);
    let axisFn = AXES[axis];
    const nameTest = maybe(step, 'nameTest');
    if (axis === 'child' && maybe(step, 'textTest')) axisFn = (n) => n.textChildren();
    else if (axis === 'child' && nameTest) {
      const ns = this.elementNamespace(nameTest);
      const local = localNameOf(nameTest);
      const key = nameKey(ns, local);
      axisFn = (n) => n.childrenNamed(key, ns, local);
    }
    if (!axisFn) throw new CompileError(`axis ${axis} is not supported`);
    const ordered = axis === 'child' || axis === 'attribute' || axis === 'self';
    return (input, e) => {
      const out: Item[] = [];
      for (const ctx of input) {
        if (!(ctx instanceof XNode)) throw new XPathError('XPTY0019', 'a path step on an atomic value');
        let r: Item[] = axisFn(ctx, test);
        for (const pred of preds) r = pred(r, e);
        for (const x of r) out.push(x);
      }
      // Child and attribute steps from distinct nodes of one level stay in document order; others may not.
      return !ordered || (input.length > 1 && out.length > 1) ? documentOrder(out as XNode[]) : out;
    };
  }

  /**
   * One step of a match pattern: its node test and its (boolean) predicates on the node being matched (null without
   * any), kept apart so that compilePath can check the names up the chain first.
   */
  patternStep(step: Ast, axis: string): { test: (n: XNode) => boolean; preds: ((n: XNode, env: Env) => boolean) | null } {
    const test = this.nodeTest(step, axis);
    if (maybe(step, 'filterExpr')) throw new CompileError('filter expression in a pattern');
    const preds = this.patternPredicates(step);
    if (preds.length === 0) return { test, preds: null };
    // A loop, not preds.every(p => …): that made a closure on every node tried (~6 MB on a 1000-line invoice).
    return {
      test,
      preds: (n, env) => {
        for (let k = 0; k < preds.length; k++) if (!preds[k]!(n, 1, 1, env)) return false;
        return true;
      },
    };
  }

  /** The predicates of a pattern step, none positional. */
  patternPredicates(step: Ast): BoolFn[] {
    const predicates = maybe(step, 'predicates');
    return (predicates ? children(predicates) : []).map((p): BoolFn => {
      if (p.localName === 'varRef') {
        // `[$isGreekSender]`: boolean in these rules; a number would make it positional, which we refuse at run time.
        const value = this.compile(p);
        return (i, pos, size, e) => {
          const v = value(i, pos, size, e);
          const x = v[0];
          if (v.length === 1 && (typeof x === 'number' || typeof x === 'bigint' || x instanceof Decimal)) throw new XPathError('FFCS0001', 'a numeric variable as a pattern predicate is not supported');
          return ebv(v);
        };
      }
      if (!this.isBooleanPredicate(p)) throw new CompileError(`predicate ${p.localName} in a pattern may be positional`);
      return this.compileBool(p);
    });
  }

  patternKey(name: Ast, axis: string): string {
    const isAttr = axis === 'attribute';
    const ns = isAttr && (name.getAttributeNS(XQX, 'prefix') ?? '') === '' ? '' : this.elementNamespace(name);
    return `${isAttr ? 'a' : 'e'} ${nameKey(ns, textOf(name))}`;
  }

  private nodeTest(step: Ast, axis: string): (n: XNode) => boolean {
    const principal = axis === 'attribute' ? Kind.Attribute : Kind.Element;
    const name = maybe(step, 'nameTest');
    if (name) {
      const local = localNameOf(name);
      const ns = axis === 'attribute' && (name.getAttributeNS(XQX, 'prefix') ?? '') === '' ? '' : this.elementNamespace(name);
      return (n) => n.local === local && n.ns === ns && n.kind === principal;
    }
    const wildcard = maybe(step, 'Wildcard');
    if (wildcard) {
      const parts = children(wildcard);
      if (parts.length === 0) return (n) => n.kind === principal;
      if (parts[0]!.localName === 'star') {
        const local = localNameOf(parts[1]!);
        return (n) => n.local === local && n.kind === principal;
      }
      const declared = this.ctx.namespaces[textOf(parts[0]!)];
      if (declared === undefined) throw new CompileError(`undeclared prefix ${textOf(parts[0]!)}`);
      const ns = internedNamespace(declared);
      return (n) => n.ns === ns && n.kind === principal;
    }
    if (maybe(step, 'anyKindTest')) {
      // Without text nodes in the tree, node() is exact only where it cannot select text (not on child axes).
      if (axis === 'child' || axis === 'descendant' || axis === 'following-sibling' || axis === 'preceding-sibling')
        throw new CompileError(`node() on the ${axis} axis would need text nodes`);
      return () => true;
    }
    if (maybe(step, 'textTest')) {
      if (axis !== 'child') throw new CompileError(`text() on the ${axis} axis is not supported`);
      return (n) => n.kind === Kind.Text;
    }
    if (maybe(step, 'elementTest')) {
      if (children(maybe(step, 'elementTest')!).length > 0) throw new CompileError('element(name) tests are not supported');
      return (n) => n.kind === Kind.Element;
    }
    throw new CompileError(`node test ${children(step)[1]?.localName} is not supported`);
  }

  /** Whether a predicate is certainly not positional: its value is a boolean or nodes, never a number. */
  isBooleanPredicate(ast: Ast): boolean {
    const positional = [...(ast.getElementsByTagNameNS(XQX, 'functionName') as unknown as Ast[])].some((f) => ['position', 'last'].includes(textOf(f)));
    if (positional) return false;
    return BOOLEAN_KINDS.has(ast.localName ?? '') || (ast.localName === 'pathExpr' && !!maybe(children(ast).at(-1)!, 'xpathAxis')) || (ast.localName === 'functionCallExpr' && BOOLEAN_FUNCTIONS.has(this.callParts(ast).local));
  }

  /** A predicate on a sequence: numeric → position, otherwise effective boolean value. */
  private predicate(ast: Ast): (input: Item[], e: Env) => Item[] {
    if (this.isBooleanPredicate(ast)) {
      const test = this.compileBool(ast);
      return (input, e) => {
        const out: Item[] = [];
        for (let n = 0; n < input.length; n++) if (test(input[n]!, n + 1, input.length, e)) out.push(input[n]!);
        return out;
      };
    }
    if (ast.localName === 'integerConstantExpr') {
      const at = Number(textOf(first(ast, 'value')));
      return (input) => (at >= 1 && at <= input.length ? [input[at - 1]!] : EMPTY);
    }
    const value = this.compile(ast);
    return (input, e) => {
      const out: Item[] = [];
      for (let n = 0; n < input.length; n++) {
        const v = value(input[n]!, n + 1, input.length, e);
        const x = v[0];
        const keep = v.length === 1 && (typeof x === 'number' || typeof x === 'bigint' || x instanceof Decimal) ? toDouble(x) === n + 1 : ebv(v);
        if (keep) out.push(input[n]!);
      }
      return out;
    };
  }
}

interface SimpleStep {
  attribute: boolean;
  /** `*` */
  any: boolean;
  names: { ns: string; local: string; key: string }[];
  preds: BoolFn[];
}

/**
 * The nodes a step may take from n, a superset that stepTakes filters: for element names and few children, the
 * children themselves, so that no array is made per call (a 1000-line invoice asks its lines' children for one name
 * ~100 000 times); for many children, the name index (`(cac:InvoiceLine|cac:CreditNoteLine)`: usually one is there).
 */
function stepCandidates(n: XNode, step: SimpleStep): XNode[] {
  if (step.attribute) return n.attrs;
  if (step.any || n.children.length < 16) return n.children;
  if (step.names.length === 1) return n.childrenNamed(step.names[0]!.key, step.names[0]!.ns, step.names[0]!.local);
  let found: XNode[] | undefined;
  let merged = false;
  for (const m of step.names) {
    const list = n.childrenNamed(m.key, m.ns, m.local);
    if (list.length === 0) continue;
    if (!found) found = list;
    else (found = [...found, ...list]), (merged = true);
  }
  return !found ? [] : merged ? found.sort((a, b) => a.pos - b.pos) : found;
}

/** Whether a node of stepCandidates is one the step takes: its name, then its predicates (never positional here). */
function stepTakes(c: XNode, step: SimpleStep, e: Env): boolean {
  if (!nameMatches(c, step)) return false;
  for (const pred of step.preds) if (!pred(c, 1, 1, e)) return false;
  return true;
}

function nameMatches(c: XNode, step: SimpleStep): boolean {
  if (step.attribute !== (c.kind === Kind.Attribute)) return false;
  if (step.any) return true;
  for (const m of step.names) if (m.local === c.local && m.ns === c.ns) return true;
  return false;
}

/**
 * Bottom-up evaluation of a path whose last name is rare in the document (UBL-CR-*: "must not be present" checks walk
 * every line top-down, but the element they look for is usually absent): the name index gives the few candidates, and
 * each is checked upwards to the context node. Undefined when top-down is cheaper.
 */
function rareCandidates(from: XNode, steps: SimpleStep[]): XNode[] | undefined {
  const last = steps[steps.length - 1]!;
  if (last.any || steps.length < 2 || from.children.length === 0) return undefined;
  // No array made to decide (this runs for every simple path): the usual one name is a single lookup.
  if (last.names.length === 1) {
    const list = namedInDocument(from, last, last.names[0]!);
    return !list ? NO_NODES : list.length > 8 ? undefined : list;
  }
  let total = 0;
  for (const m of last.names) total += namedInDocument(from, last, m)?.length ?? 0;
  if (total > 8) return undefined;
  return last.names.flatMap((m) => namedInDocument(from, last, m) ?? []).sort((a, b) => a.pos - b.pos);
}

/** The document's elements or attributes of a step's name, from the name index (both keyed `ns local`). */
function namedInDocument(from: XNode, step: SimpleStep, m: SimpleStep['names'][number]): XNode[] | undefined {
  return step.attribute ? from.doc.attributesByName.get(m.key) : from.doc.byName.get(m.key);
}
const NO_NODES: XNode[] = [];

// Predicates are not positional here (simplePath admits only those), so they may be evaluated without positions.
function matchesUpward(c: XNode, from: XNode, steps: SimpleStep[], k: number, e: Env): boolean {
  const step = steps[k]!;
  if (!nameMatches(c, step)) return false;
  for (const pred of step.preds) if (!pred(c, 1, 1, e)) return false;
  const parent = c.parent;
  if (!parent) return false;
  return k === 0 ? parent === from : matchesUpward(parent, from, steps, k - 1, e);
}

/**
 * The path's nodes in document order, appended to `out`; made on the first node found, as `[c]`: most paths find one
 * node, and an array grown by push from empty reserves 17 slots (~7 MB of a 1000-line invoice's allocation).
 */
function collectPath(n: XNode, steps: SimpleStep[], k: number, e: Env, out: XNode[] | undefined): XNode[] | undefined {
  const step = steps[k]!;
  const candidates = stepCandidates(n, step);
  const last = k === steps.length - 1;
  for (let j = 0; j < candidates.length; j++) {
    const c = candidates[j]!;
    if (!stepTakes(c, step, e)) continue;
    if (!last) out = collectPath(c, steps, k + 1, e, out);
    else if (out) out.push(c);
    else out = [c];
  }
  return out;
}

function existsPath(n: XNode, steps: SimpleStep[], k: number, e: Env): boolean {
  const step = steps[k]!;
  const candidates = stepCandidates(n, step);
  const last = k === steps.length - 1;
  for (let j = 0; j < candidates.length; j++) {
    const c = candidates[j]!;
    if (!stepTakes(c, step, e)) continue;
    if (last || existsPath(c, steps, k + 1, e)) return true;
  }
  return false;
}

const memoIds = new Map<string, number>();
const serializer = new XMLSerializer();

/** The expression's text, as fontoxpath's AST; equal for equal expressions of one stylesheet (same prefixes). */
export function canonical(ast: Ast): string {
  return serializer.serializeToString(ast as never);
}

/** Paths with a predicate, `//` or two steps or more, and sum()/count() of such: worth a memo when repeated. */
export function isMemoCandidate(ast: Ast): boolean {
  if (ast.localName === 'functionCallExpr') {
    const name = textOf(first(ast, 'functionName'));
    return (name === 'sum' || name === 'count') && children(first(ast, 'arguments')).some(isMemoCandidate);
  }
  if (ast.localName !== 'pathExpr') return false;
  const steps = children(ast);
  return steps.length >= 2 || ast.getElementsByTagNameNS(XQX, 'predicates').length > 0;
}

/** The variables an expression reads and does not bind itself. */
function freeVariables(ast: Ast): Set<string> {
  const bound = new Set<string>();
  for (const v of ast.getElementsByTagNameNS(XQX, 'varName') as unknown as Ast[]) bound.add(textOf(v));
  const free = new Set<string>();
  for (const r of ast.getElementsByTagNameNS(XQX, 'varRef') as unknown as Ast[]) {
    const name = textOf(first(r, 'name'));
    // A name both bound inside and read: treat as free too (it may also be read outside its binding); cheap and safe.
    free.add(name);
  }
  void bound;
  return free;
}

function memoKey(x: Item): unknown {
  if (x instanceof XNode) return x;
  if (typeof x === 'object') return `${x.constructor.name} ${stringOf(x)}`;
  return `${typeof x} ${String(x)}`;
}

const BOOLEAN_KINDS = new Set([...Object.keys(COMPARISONS), 'andOp', 'orOp', 'quantifiedExpr', 'castableExpr']);
const BOOLEAN_FUNCTIONS = new Set(['not', 'exists', 'empty', 'boolean', 'true', 'false', 'contains', 'starts-with', 'ends-with', 'matches']);

const CASTS: Record<string, (x: Atomic) => Atomic> = {
  decimal: toDecimal,
  double: toDouble,
  integer: toInteger,
  boolean: toBoolean,
  date: toDate,
  string: (x) => stringOf(x),
};

function nodesOf(seq: Seq): XNode[] {
  for (const x of seq) if (!(x instanceof XNode)) throw new XPathError('XPTY0004', 'a set operation on atomic values');
  return seq as XNode[];
}

function isDescendantOrSelfNode(step: Ast): boolean {
  const axis = maybe(step, 'xpathAxis');
  return !!axis && textOf(axis) === 'descendant-or-self' && !!maybe(step, 'anyKindTest') && !maybe(step, 'predicates');
}

function descendantsNamed(names: { ns: string; local: string }[], kind: 'element' | 'attribute'): (input: Item[], e: Env) => Item[] {
  const keys = names.map((n) => nameKey(n.ns, n.local));
  return (input) => {
    const out: XNode[] = [];
    for (const ctx of input) {
      if (!(ctx instanceof XNode)) throw new XPathError('XPTY0019', 'a path step on an atomic value');
      for (const key of keys) {
        const all = kind === 'element' ? ctx.doc.byName.get(key) : ctx.doc.attributesByName.get(key);
        if (!all) continue;
        if (ctx.kind === Kind.Document) for (const x of all) out.push(x);
        else for (const x of all) if (isAncestor(ctx, x)) out.push(x);
      }
    }
    return keys.length > 1 || input.length > 1 ? documentOrder(out) : out;
  };
}

function isAncestor(a: XNode, n: XNode): boolean {
  for (let p = n.parent; p; p = p.parent) if (p === a) return true;
  return false;
}

const elementsInOrder = new WeakMap<XDocument, XNode[]>();
function allElements(doc: XDocument): XNode[] {
  let all = elementsInOrder.get(doc);
  if (!all) {
    all = [];
    descendants(doc.root, all);
    elementsInOrder.set(doc, all);
  }
  return all;
}

function descendants(n: XNode, out: XNode[]): void {
  for (const c of n.children) {
    out.push(c);
    descendants(c, out);
  }
}

type Axis = (n: XNode, test: (n: XNode) => boolean) => XNode[];
const AXES: Record<string, Axis> = {
  child: (n, test) => {
    const out: XNode[] = [];
    for (const c of n.children) if (test(c)) out.push(c);
    return out;
  },
  attribute: (n, test) => {
    const out: XNode[] = [];
    for (const a of n.attrs) if (test(a)) out.push(a);
    return out;
  },
  self: (n, test) => (test(n) ? [n] : []),
  parent: (n, test) => (n.parent && test(n.parent) ? [n.parent] : []),
  ancestor: (n, test) => {
    const out: XNode[] = [];
    for (let p = n.parent; p; p = p.parent) if (test(p)) out.push(p);
    return out; // reverse axis: nearest first, as positions count
  },
  'ancestor-or-self': (n, test) => {
    const out: XNode[] = [];
    for (let p: XNode | null = n; p; p = p.parent) if (test(p)) out.push(p);
    return out;
  },
  descendant: (n, test) => {
    const all: XNode[] = [];
    descendants(n, all);
    return all.filter(test);
  },
  'descendant-or-self': (n, test) => {
    const all: XNode[] = [n];
    descendants(n, all);
    return all.filter(test);
  },
  // preceding/following: every element before/after in document order, ancestors/descendants excluded (XPath 2.0 §3.2.1.1)
  preceding: (n, test) => {
    const out: XNode[] = [];
    const all = allElements(n.doc);
    for (const x of all) {
      if (x.pos >= n.pos) break;
      if (test(x) && !isAncestor(x, n)) out.push(x);
    }
    return out.reverse();
  },
  following: (n, test) => {
    const out: XNode[] = [];
    for (const x of allElements(n.doc)) if (x.pos > n.pos && test(x) && !isAncestor(n, x)) out.push(x);
    return out;
  },
  'following-sibling': (n, test) => {
    if (!n.parent || n.kind !== Kind.Element) return [];
    const sibs = n.parent.children;
    return sibs.slice(sibs.indexOf(n) + 1).filter(test);
  },
  'preceding-sibling': (n, test) => {
    if (!n.parent || n.kind !== Kind.Element) return [];
    const sibs = n.parent.children;
    return sibs.slice(0, sibs.indexOf(n)).reverse().filter(test);
  },
};
