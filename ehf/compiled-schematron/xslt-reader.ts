/**
 * Reads the XSLT that the ISO Schematron skeleton produced from the CEN or Peppol rules and compiles its parts to
 * closures (xpath-compiler.ts). The skeleton's shape, which we rely on and check:
 *   - the root template applies one mode per pattern to `/`, in order (`<xsl:apply-templates select="/" mode="M11"/>`);
 *   - each rule is `<xsl:template match="context" mode="Mn" priority="p">`: optional `xsl:variable`s, then per assert
 *     `xsl:choose/xsl:when test/xsl:otherwise/svrl:failed-assert` (per report `xsl:if test/svrl:successful-report`),
 *     then `<xsl:apply-templates select="@*|*" mode="Mn"/>`;
 *   - each mode ends with the catch-alls `text()` (nothing) and `@*|node()` (walk on);
 *   - global `xsl:variable`/`xsl:param` and `xsl:function`s (Peppol's `u:` functions).
 * Anything else is recorded in `notCompiled` with the reason, never guessed.
 */
import { readFileSync } from 'node:fs';
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import { Kind, nameKey, type XNode } from './light-tree.js';
import { canonical, CompileError, isMemoCandidate, parseXPath, XPathCompiler, type BoolFn, type Env, type Fn, type StaticContext, type UserFunction } from './xpath-compiler.js';
import { EMPTY, stringOf, toBoolean, toDecimal, toInteger, Untyped, XPathError, type Atomic, type Seq } from './xpath-values.js';

const XSL = 'http://www.w3.org/1999/XSL/Transform';
const SVRL = 'http://purl.oclc.org/dsdl/svrl';

export interface CompiledAssert {
  id: string;
  flag: string;
  /** failed-assert (fires when the test is false) or successful-report (fires when true). */
  kind: 'assert' | 'report';
  test: string;
  /** undefined when the test did not compile (see CompiledSchematron.notCompiled). */
  check?: BoolFn;
  text: (node: XNode, env: Env) => string;
}

export interface PatternAlternative {
  /** Name-index key of the node the last step matches (`e ns local`, `a ns local`, `doc`), or null: try on every node. */
  key: string | null;
  match: (node: XNode, env: Env) => boolean;
}

export interface CompiledRule {
  mode: string;
  context: string;
  priority: number;
  /** Order in the stylesheet: XSLT picks the last of equal priority. */
  order: number;
  alternatives: PatternAlternative[];
  /** Rule-level variables, evaluated lazily into these slots. */
  variables: { slot: number; fn: Fn }[];
  frameSize: number;
  asserts: CompiledAssert[];
  /** Whether the rule goes on to its node's attributes and children (the skeleton's rules all do). */
  walks: boolean;
}

export interface CompiledSchematron {
  /** Pattern modes in the order the root template applies them. */
  modes: string[];
  rules: CompiledRule[];
  globals: { name: string; fn: Fn }[];
  notCompiled: { where: string; id?: string; expression: string; reason: string }[];
  counts: { rules: number; rulesCompiled: number; asserts: number; assertsCompiled: number };
}

const elements = (node: Node): Element[] => {
  const out: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element);
  return out;
};
const isXsl = (e: Element, local: string) => e.namespaceURI === XSL && e.localName === local;

/** The namespace declarations in scope on the stylesheet element (the skeleton declares all there). */
function namespacesOf(root: Element): Record<string, string> {
  const out: Record<string, string> = { xml: 'http://www.w3.org/XML/1998/namespace' };
  for (let k = 0; k < root.attributes.length; k++) {
    const a = root.attributes.item(k)!;
    if (a.name.startsWith('xmlns:')) out[a.name.slice(6)] = a.value;
  }
  return out;
}

export function readSchematronXslt(file: string): CompiledSchematron {
  const xslt = new DOMParser().parseFromString(readFileSync(file, 'utf8'), 'text/xml');
  const root = xslt.documentElement!;
  const namespaces = namespacesOf(root);
  const result: CompiledSchematron = { modes: [], rules: [], globals: [], notCompiled: [], counts: { rules: 0, rulesCompiled: 0, asserts: 0, assertsCompiled: 0 } };
  const globals = new Map<string, number>();
  const functions = new Map<string, UserFunction>();
  const repeats = repeatedExpressions(root);
  const context = (): StaticContext => ({ namespaces, scope: new Map(), frame: { next: 0, size: 0 }, globals, functions, repeats });
  const top = elements(root);

  // Globals first (declared names), compiled after, so that they may refer to each other and to functions.
  const globalDecls = top.filter((e) => isXsl(e, 'variable') || isXsl(e, 'param'));
  for (const g of globalDecls) globals.set(g.getAttribute('name')!, globals.size);
  for (const f of top.filter((e) => isXsl(e, 'function'))) {
    const [prefix, local] = f.getAttribute('name')!.split(':');
    const params = elements(f).filter((e) => isXsl(e, 'param'));
    const key = `${namespaces[prefix!]}#${local}#${params.length}`;
    const fn: UserFunction = { arity: params.length, frameSize: 0, body: () => compiledBody() };
    let compiled: Fn | undefined;
    const compiledBody = (): Fn => {
      if (compiled) return compiled;
      const ctx = context();
      const compiler = new XPathCompiler(ctx);
      const conversions = params.map((p) => {
        ctx.scope.set(p.getAttribute('name')!, ctx.frame.next++);
        return conversion(p.getAttribute('as'));
      });
      ctx.frame.size = ctx.frame.next;
      const body = sequenceConstructor(compiler, elements(f).filter((e) => !isXsl(e, 'param')), f.getAttribute('name')!);
      const result = conversion(f.getAttribute('as'));
      fn.frameSize = ctx.frame.size;
      compiled = (i, p, s, e) => {
        conversions.forEach((convert, k) => (e.vars[k] = convert(e.vars[k]!)));
        return result(body(i, p, s, e));
      };
      return compiled;
    };
    functions.set(key, fn);
  }
  // Compile the functions now, so that the frame sizes are known and errors are reported at load time.
  for (const [name, fn] of functions) {
    try {
      fn.body();
    } catch (err) {
      if (!(err instanceof CompileError)) throw err;
      result.notCompiled.push({ where: `function ${name}`, expression: '', reason: err.message });
      fn.body = () => {
        throw new XPathError('FFCS0001', `function ${name} did not compile: ${err.message}`);
      };
    }
  }
  for (const g of globalDecls) {
    const name = g.getAttribute('name')!;
    const select = g.getAttribute('select');
    let fn: Fn;
    try {
      if (select) fn = new XPathCompiler(context()).compile(parseXPath(select));
      else if (elements(g).length === 0) {
        const text = [g.textContent ?? ''];
        fn = () => text.map((t) => new Untyped(t));
      } else throw new CompileError(`global $${name} built by instructions`);
    } catch (err) {
      if (!(err instanceof CompileError)) throw err;
      result.notCompiled.push({ where: `global $${name}`, expression: select ?? '', reason: err.message });
      const reason = err.message;
      fn = () => {
        throw new XPathError('FFCS0001', `global $${name} did not compile: ${reason}`);
      };
    }
    result.globals.push({ name, fn });
  }

  // The root template: which modes, in which order.
  const rootTemplate = top.find((e) => isXsl(e, 'template') && e.getAttribute('match') === '/' && !e.getAttribute('mode'));
  if (!rootTemplate) throw new Error(`${file}: no root template`);
  for (const apply of rootTemplate.getElementsByTagNameNS(XSL, 'apply-templates') as unknown as Element[]) {
    if (apply.getAttribute('select') === '/' && apply.getAttribute('mode')) result.modes.push(apply.getAttribute('mode')!);
  }
  const modes = new Set(result.modes);

  let order = 0;
  for (const template of top.filter((e) => isXsl(e, 'template') && modes.has(e.getAttribute('mode') ?? ''))) {
    const mode = template.getAttribute('mode')!;
    const match = template.getAttribute('match')!;
    const priority = Number(template.getAttribute('priority') ?? 'NaN');
    const body = elements(template);
    // The skeleton's catch-alls, which the walk in evaluator.ts does itself.
    if (match === 'text()' && body.length === 0) continue;
    if (match === '@*|node()' && body.length === 1 && isApplyToChildren(body[0]!, mode)) continue;
    result.counts.rules++;
    const asserts = body.filter((e) => isXsl(e, 'choose') || isXsl(e, 'if'));
    result.counts.asserts += asserts.length;
    const ctx = context();
    const compiler = new XPathCompiler(ctx);
    const rule: CompiledRule = { mode, context: match, priority, order: order++, alternatives: [], variables: [], frameSize: 0, asserts: [], walks: false };
    try {
      rule.alternatives = compilePattern(compiler, match);
    } catch (err) {
      if (!(err instanceof CompileError)) throw err;
      result.notCompiled.push({ where: `rule ${mode} ${match}`, expression: match, reason: err.message });
      continue;
    }
    let ruleOk = true;
    for (const e of body) {
      if (isXsl(e, 'variable')) {
        const name = e.getAttribute('name')!;
        const select = e.getAttribute('select');
        const slot = ctx.frame.next++;
        ctx.frame.size = ctx.frame.next;
        try {
          if (!select) throw new CompileError(`rule variable $${name} without select`);
          const fn = compiler.compile(parseXPath(select));
          rule.variables.push({ slot, fn });
          ctx.scope.set(name, slot);
          ctx.lazy ??= new Map();
          ctx.lazy.set(slot, fn);
        } catch (err) {
          if (!(err instanceof CompileError)) throw err;
          result.notCompiled.push({ where: `rule ${mode} ${match}, $${name}`, expression: select ?? '', reason: err.message });
          ruleOk = false;
        }
      } else if (isXsl(e, 'choose') || isXsl(e, 'if')) {
        const a = readAssert(e);
        if (typeof a === 'string') {
          result.notCompiled.push({ where: `rule ${mode} ${match}`, expression: e.getAttribute('test') ?? '', reason: a });
          continue;
        }
        const compiled: CompiledAssert = { id: a.id, flag: a.flag, kind: a.kind, test: a.test, text: () => '' };
        try {
          compiled.text = compileText(compiler, a.text);
          compiled.check = compiler.compileBool(parseXPath(a.test));
          result.counts.assertsCompiled++;
        } catch (err) {
          if (!(err instanceof CompileError)) throw err;
          result.notCompiled.push({ where: `rule ${mode} ${match}`, id: a.id, expression: a.test, reason: err.message });
        }
        rule.asserts.push(compiled);
      } else if (e.namespaceURI === SVRL && e.localName === 'fired-rule') {
        // the SVRL report's record that the rule fired: not a finding
      } else if (isApplyToChildren(e, mode)) rule.walks = true;
      else {
        result.notCompiled.push({ where: `rule ${mode} ${match}`, expression: e.tagName, reason: `instruction ${e.tagName} in a rule` });
        ruleOk = false;
      }
    }
    rule.frameSize = ctx.frame.size;
    if (ruleOk) result.counts.rulesCompiled++;
    result.rules.push(rule);
  }
  return result;
}

/** How often each memo candidate occurs across every XPath expression of the stylesheet (tests, selects, matches). */
function repeatedExpressions(root: Element): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (e: Element) => {
    for (const attr of ['test', 'select', 'match']) {
      const text = e.getAttribute(attr);
      if (!text || e.namespaceURI !== XSL) continue;
      let ast: Element;
      try {
        ast = parseXPath(text);
      } catch {
        continue; // reported where it is compiled
      }
      const all = [ast, ...(ast.getElementsByTagNameNS('http://www.w3.org/2005/XQueryX', '*') as unknown as Element[])];
      for (const sub of all) if (isMemoCandidate(sub)) counts.set(canonical(sub), (counts.get(canonical(sub)) ?? 0) + 1);
    }
    for (const c of elements(e)) visit(c);
  };
  visit(root);
  return counts;
}

function isApplyToChildren(e: Element, mode: string): boolean {
  return isXsl(e, 'apply-templates') && e.getAttribute('mode') === mode && (e.getAttribute('select') ?? '').replace(/\s/g, '') === '@*|*' && elements(e).length === 0;
}

interface AssertShape {
  id: string;
  flag: string;
  kind: 'assert' | 'report';
  test: string;
  text: Element;
}

/** `xsl:choose/xsl:when[@test]` + `xsl:otherwise/svrl:failed-assert`, or `xsl:if[@test]/svrl:successful-report`. */
function readAssert(e: Element): AssertShape | string {
  let test: string | null;
  let report: Element | undefined;
  let kind: 'assert' | 'report';
  if (isXsl(e, 'choose')) {
    const [when, otherwise, ...rest] = elements(e);
    if (!when || !isXsl(when, 'when') || elements(when).length > 0 || !otherwise || !isXsl(otherwise, 'otherwise') || rest.length > 0) return 'xsl:choose not in the skeleton assert shape';
    test = when.getAttribute('test');
    report = elements(otherwise).find((x) => x.namespaceURI === SVRL && x.localName === 'failed-assert');
    kind = 'assert';
  } else {
    test = e.getAttribute('test');
    report = elements(e).find((x) => x.namespaceURI === SVRL && x.localName === 'successful-report');
    kind = 'report';
  }
  if (!test || !report) return 'no test or no SVRL element';
  const attrs = new Map<string, Element>();
  let text: Element | undefined;
  for (const c of elements(report)) {
    if (isXsl(c, 'attribute')) attrs.set(c.getAttribute('name')!, c);
    else if (c.namespaceURI === SVRL && c.localName === 'text') text = c;
    else return `${c.tagName} in an SVRL report`;
  }
  const plain = (name: string): string | undefined => {
    const a = attrs.get(name);
    return a && elements(a).length === 0 ? (a.textContent ?? '').trim() : undefined;
  };
  const location = attrs.get('location');
  const locationApply = location && elements(location)[0];
  if (!locationApply || !isXsl(locationApply, 'apply-templates') || locationApply.getAttribute('mode') !== 'schematron-select-full-path' || locationApply.getAttribute('select') !== '.')
    return 'location not the skeleton full path of the context node';
  const id = plain('id');
  const flag = plain('flag');
  if (id === undefined || flag === undefined || !text) return 'id, flag or text missing or computed';
  return { id, flag, kind, test, text };
}

/** svrl:text: text and xsl:value-of, normalised as runSchematron's FINDINGS does (normalize-space). */
function compileText(compiler: XPathCompiler, text: Element): (node: XNode, env: Env) => string {
  const parts: (string | Fn)[] = [];
  for (let c = text.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3 || c.nodeType === 4) parts.push(c.nodeValue ?? '');
    else if (c.nodeType === 1 && isXsl(c as Element, 'value-of') && (c as Element).getAttribute('select')) parts.push(compiler.compile(parseXPath((c as Element).getAttribute('select')!)));
    else if (c.nodeType === 1) throw new CompileError(`${(c as Element).tagName} in svrl:text`);
  }
  // XPath normalize-space: only #x20 #x9 #xD #xA are whitespace (the rules' texts contain no-break spaces).
  const normalize = (s: string) => s.replace(/[ \t\n\r]+/g, ' ').replace(/^ | $/g, '');
  if (parts.every((p) => typeof p === 'string')) {
    const fixed = normalize(parts.join(''));
    return () => fixed;
  }
  // xsl:value-of joins the items of its sequence with a space (XSLT 2.0 §11.4.2).
  return (node, env) => normalize(parts.map((p) => (typeof p === 'string' ? p : p(node, 1, 1, env).map(stringOf).join(' '))).join(''));
}

/** A match pattern (XSLT 2.0 §5.5.2): a union of paths of child/attribute steps, `//` and a leading `/`. */
function compilePattern(compiler: XPathCompiler, match: string): PatternAlternative[] {
  const ast = parseXPath(match);
  const out: PatternAlternative[] = [];
  const collect = (x: Element, preds: BoolFn[]) => {
    if (x.localName === 'unionOp') for (const operand of elements(x)) collect(elements(operand)[0]!, preds);
    else if (x.localName === 'sequenceExpr' && elements(x).length === 1) collect(elements(x)[0]!, preds);
    else if (x.localName === 'pathExpr') {
      const parts = elements(x);
      const filter = parts.length === 1 ? elements(parts[0]!).find((c) => c.localName === 'filterExpr') : undefined;
      if (filter) {
        // XSLT 3.0 §5.5.3: `(P)[q]` matches what P matches where q holds (Saxon compiles these stylesheets as 3.0).
        collect(elements(filter)[0]!, [...preds, ...compiler.patternPredicates(parts[0]!)]);
        return;
      }
      const alt = compilePath(compiler, parts);
      if (preds.length === 0) out.push(alt);
      else out.push({ key: alt.key, match: (n, env) => alt.match(n, env) && preds.every((p) => p(n, 1, 1, env)) });
    } else throw new CompileError(`pattern part ${x.localName} is not supported`);
  };
  collect(ast, []);
  return out;
}

function compilePath(compiler: XPathCompiler, parts: Element[]): PatternAlternative {
  type Matcher = (n: XNode, env: Env) => boolean;
  const isDos = (s: Element | undefined) => !!s && s.localName === 'stepExpr' && childText(s, 'xpathAxis') === 'descendant-or-self' && !!elements(s).find((c) => c.localName === 'anyKindTest') && !elements(s).find((c) => c.localName === 'predicates');
  const build = (k: number): Matcher => {
    const step = parts[k]!;
    if (step.localName === 'rootExpr') {
      if (k !== 0) throw new CompileError('root in the middle of a pattern');
      return (n) => n.kind === Kind.Document;
    }
    const axis = childText(step, 'xpathAxis');
    if (axis !== 'child' && axis !== 'attribute') throw new CompileError(`axis ${axis} in a pattern`);
    const { test, preds } = compiler.patternStep(step, axis);
    let before: Matcher;
    if (k === 0) before = () => true;
    else if (isDos(parts[k - 1])) {
      if (k - 1 === 0) throw new CompileError('pattern starting with descendant-or-self');
      const ancestor = build(k - 2);
      before = (n, env) => {
        for (let a = n.parent; a; a = a.parent) if (ancestor(a, env)) return true;
        return false;
      };
    } else {
      const parent = build(k - 1);
      before = (n, env) => !!n.parent && parent(n.parent, env);
    }
    // The names up the chain before any predicate (predicates have no side effects, and one that raises makes the
    // pattern not match either way): the eight VAT-category contexts tried on every line's ClassifiedTaxCategory, and
    // the credit-note alternatives tried on invoice lines, are mostly told apart by a name.
    if (!preds) return (n, env) => test(n) && before(n, env);
    return (n, env) => test(n) && before(n, env) && preds(n, env);
  };
  const last = parts[parts.length - 1]!;
  let key: string | null = null;
  if (last.localName === 'rootExpr') key = 'doc';
  else {
    const name = elements(last).find((c) => c.localName === 'nameTest');
    if (name) key = compiler.patternKey(name, childText(last, 'xpathAxis'));
  }
  return { key, match: build(parts.length - 1) };
}

function childText(e: Element, local: string): string {
  return elements(e).find((c) => c.localName === local)?.textContent ?? '';
}

export function nodeKey(n: XNode): string {
  return n.key;
}

/** Converts a value to the declared type of a function parameter or result (XPath 2.0 §3.1.5). */
function conversion(as: string | null): (v: Seq) => Seq {
  if (!as) return (v) => v;
  const m = /^xs:(string|decimal|integer|boolean)([?*+]?)$/.exec(as);
  if (!m) throw new CompileError(`type ${as} is not supported`);
  const [, type, occurrence] = m;
  const convert: (x: Atomic) => Atomic =
    type === 'string'
      ? (x) => {
          if (typeof x === 'string') return x;
          if (typeof x === 'object' && !(x instanceof Untyped) && !('kind' in x)) throw new XPathError('XTTE0790', `expected xs:string`);
          if (typeof x !== 'object') throw new XPathError('XTTE0790', `expected xs:string`);
          return stringOf(x);
        }
      : type === 'decimal'
        ? (x) => (typeof x === 'bigint' ? x : typeof x === 'number' ? failType(as) : toDecimal(x))
        : type === 'integer'
          ? (x) => (typeof x === 'bigint' ? x : typeof x === 'object' && (x instanceof Untyped || 'kind' in x) ? toInteger(x) : failType(as))
          : (x) => (typeof x === 'boolean' ? x : typeof x === 'object' && (x instanceof Untyped || 'kind' in x) ? toBoolean(x) : failType(as));
  return (v) => {
    if (v.length === 0 && (occurrence === '' || occurrence === '+')) throw new XPathError('XTTE0790', `empty sequence where ${as} is required`);
    if (v.length > 1 && (occurrence === '' || occurrence === '?')) throw new XPathError('XTTE0790', `more than one item where ${as} is required`);
    return v.length === 0 ? EMPTY : v.map(convert);
  };
}

function failType(as: string): never {
  throw new XPathError('XTTE0790', `value does not match ${as}`);
}

/** The body of an xsl:function: variables, xsl:sequence, xsl:choose of those. */
function sequenceConstructor(compiler: XPathCompiler, body: Element[], where: string): Fn {
  const ctx = compiler.ctx;
  const steps: ({ slot: number; fn: Fn } | { result: Fn })[] = [];
  for (const e of body) {
    if (isXsl(e, 'variable')) {
      const select = e.getAttribute('select');
      let fn: Fn;
      const content = elements(e);
      if (select) fn = compiler.compile(parseXPath(select));
      else if (content.length === 0) {
        const v = [new Untyped(e.textContent ?? '')];
        fn = () => v;
      } else if (content.length === 1 && isXsl(content[0]!, 'sequence') && content[0]!.getAttribute('select')) {
        fn = compiler.compile(parseXPath(content[0]!.getAttribute('select')!));
      } else throw new CompileError(`${where}: variable built by instructions`);
      const as = conversion(e.getAttribute('as'));
      if (e.getAttribute('as')) {
        const inner = fn;
        fn = (i, p, s, env) => as(inner(i, p, s, env));
      }
      const slot = ctx.frame.next++;
      ctx.frame.size = Math.max(ctx.frame.size, ctx.frame.next);
      ctx.scope.set(e.getAttribute('name')!, slot);
      steps.push({ slot, fn });
    } else if (isXsl(e, 'sequence')) steps.push({ result: compiler.compile(parseXPath(e.getAttribute('select')!)) });
    else if (isXsl(e, 'choose')) {
      const branches = elements(e).map((b) => ({
        test: isXsl(b, 'when') ? compiler.compileBool(parseXPath(b.getAttribute('test')!)) : undefined,
        body: withScope(ctx, () => sequenceConstructor(compiler, elements(b), where)),
      }));
      steps.push({
        result: (i, p, s, env) => {
          for (const b of branches) if (!b.test || b.test(i, p, s, env)) return b.body(i, p, s, env);
          return EMPTY;
        },
      });
    } else throw new CompileError(`${where}: instruction ${e.tagName}`);
  }
  return (i, p, s, env) => {
    const out: Atomic[] = [];
    for (const step of steps) {
      if ('slot' in step) env.vars[step.slot] = step.fn(i, p, s, env);
      else out.push(...step.result(i, p, s, env));
    }
    return out;
  };
}

function withScope<T>(ctx: StaticContext, body: () => T): T {
  const scope = new Map(ctx.scope);
  const next = ctx.frame.next;
  try {
    return body();
  } finally {
    ctx.scope = scope;
    ctx.frame.next = next;
  }
}
