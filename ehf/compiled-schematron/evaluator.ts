/**
 * Runs a compiled Schematron layer on a light tree the way the skeleton's XSLT does: for each pattern (mode) in
 * order, a walk of the document in document order (a node's attributes, then its children); at each node the rule
 * of highest priority whose context matches fires (Schematron: the first rule of the pattern), its asserts in order.
 * The findings are those runSchematron reads from SVRL: id, flag, location (the skeleton's full path), text.
 */
import { Kind, type XDocument, type XNode } from './light-tree.js';
import type { Env } from './xpath-compiler.js';
import { nodeKey, type CompiledRule, type CompiledSchematron, type PatternAlternative } from './xslt-reader.js';
import { XPathError } from './xpath-values.js';
import type { Seq } from './xpath-values.js';
import type { SvrlFinding } from '../schematron-findings.js';

export class CompiledLayer {
  /** Per mode: name-index key → the rules to try, highest priority first. */
  private readonly dispatch = new Map<string, Map<string, CompiledRule[]>>();
  private readonly byMode = new Map<string, { keyed: Map<string, CompiledRule[]>; anywhere: CompiledRule[] }>();

  constructor(readonly schematron: CompiledSchematron) {
    for (const mode of schematron.modes) this.byMode.set(mode, { keyed: new Map(), anywhere: [] });
    for (const rule of schematron.rules) {
      const m = this.byMode.get(rule.mode)!;
      for (const alt of rule.alternatives) {
        if (alt.key === null) {
          if (!m.anywhere.includes(rule)) m.anywhere.push(rule);
        } else {
          const list = m.keyed.get(alt.key) ?? [];
          if (!list.includes(rule)) list.push(rule);
          m.keyed.set(alt.key, list);
        }
      }
      this.dispatch.set(rule.mode, new Map());
    }
  }

  private candidates(mode: string, key: string): CompiledRule[] {
    let cache = this.dispatch.get(mode);
    if (!cache) this.dispatch.set(mode, (cache = new Map()));
    let list = cache.get(key);
    if (!list) {
      const m = this.byMode.get(mode)!;
      // XSLT 2.0 §6.4: highest priority wins; among equals the last in the stylesheet.
      list = [...(m.keyed.get(key) ?? []), ...m.anywhere].sort((a, b) => b.priority - a.priority || b.order - a.order);
      cache.set(key, list);
    }
    return list;
  }

  run(doc: XDocument): SvrlFinding[] {
    const findings: SvrlFinding[] = [];
    const globalValues: (Seq | undefined)[] = [];
    const globals = this.schematron.globals;
    const env: Env = {
      vars: [],
      doc,
      current: doc.root,
      memo: new Map(),
      global: (index) => globalValues[index] ?? (globalValues[index] = globals[index]!.fn(doc.root, 1, 1, { ...env, vars: [], current: doc.root })),
    };
    if (this.schematron.rules.every((r) => r.walks)) {
      // Every rule walks on to @*|*, so each mode visits every node: one walk serves all modes, each node meeting only
      // the modes that have rules for its name; findings are kept per mode so that they come out in SVRL order.
      const perMode = this.schematron.modes.map((): SvrlFinding[] => []);
      const attributes = this.schematron.modes.some((mode) => {
        const m = this.byMode.get(mode)!;
        return m.anywhere.length > 0 || [...m.keyed.keys()].some((k) => k.startsWith('a '));
      });
      this.visitAll(doc.root, env, perMode, attributes);
      return perMode.flat();
    }
    for (const mode of this.schematron.modes) {
      const m = this.byMode.get(mode)!;
      // No rule of the mode can match an attribute: the walk need not visit them (it would find nothing).
      const attributes = m.anywhere.length > 0 || [...m.keyed.keys()].some((k) => k.startsWith('a '));
      this.visit(mode, doc.root, env, findings, attributes);
    }
    return findings;
  }

  private readonly plans = new Map<string, { mode: number; rules: CompiledRule[] }[]>();

  private plan(key: string): { mode: number; rules: CompiledRule[] }[] {
    let plan = this.plans.get(key);
    if (!plan) {
      plan = [];
      this.schematron.modes.forEach((mode, index) => {
        const rules = this.candidates(mode, key);
        if (rules.length > 0) plan!.push({ mode: index, rules });
      });
      this.plans.set(key, plan);
    }
    return plan;
  }

  private visitAll(node: XNode, env: Env, perMode: SvrlFinding[][], attributes: boolean): void {
    const key = nodeKey(node);
    // Indexed loops: this runs on every node, and for-of made iterator results here (heap profile of 1000 lines).
    const plan = this.plan(key);
    for (let p = 0; p < plan.length; p++) {
      const { mode, rules } = plan[p]!;
      env.current = node;
      let fired: CompiledRule | undefined;
      for (let r = 0; r < rules.length && !fired; r++) {
        const alternatives = rules[r]!.alternatives;
        for (let a = 0; a < alternatives.length; a++) {
          const alt = alternatives[a]!;
          if ((alt.key === null || alt.key === key) && matches(alt, node, env)) fired = rules[r];
        }
      }
      if (fired) this.fire(fired, node, env, perMode[mode]!);
    }
    if (node.kind === Kind.Attribute) return;
    if (attributes && node.kind === Kind.Element) for (let a = 0; a < node.attrs.length; a++) this.visitAll(node.attrs[a]!, env, perMode, attributes);
    for (let c = 0; c < node.children.length; c++) this.visitAll(node.children[c]!, env, perMode, attributes);
  }

  private visit(mode: string, node: XNode, env: Env, findings: SvrlFinding[], attributes: boolean): void {
    env.current = node;
    const rule = this.firstMatch(mode, node, env);
    if (rule) this.fire(rule, node, env, findings);
    if (rule && !rule.walks) return;
    if (node.kind === Kind.Attribute) return;
    // The skeleton's catch-all and its rules apply to `@*|*`; the built-in rule for the document node to its children.
    if (attributes && node.kind === Kind.Element) for (const a of node.attrs) this.visit(mode, a, env, findings, attributes);
    for (const c of node.children) this.visit(mode, c, env, findings, attributes);
  }

  private firstMatch(mode: string, node: XNode, env: Env): CompiledRule | undefined {
    const key = nodeKey(node);
    const candidates = this.candidates(mode, key);
    if (candidates.length === 0) return undefined;
    for (const rule of candidates) {
      for (const alt of rule.alternatives) if ((alt.key === null || alt.key === key) && matches(alt, node, env)) return rule;
    }
    return undefined;
  }

  private fire(rule: CompiledRule, node: XNode, env: Env, findings: SvrlFinding[]): void {
    env.vars = rule.frameSize > 0 ? new Array(rule.frameSize) : env.vars;
    env.current = node;
    for (const a of rule.asserts) {
      if (!a.check) continue;
      const holds = a.check(node, 1, 1, env);
      if (a.kind === 'assert' ? !holds : holds) findings.push({ id: a.id, flag: a.flag, location: fullPath(node), text: a.text(node, env) });
    }
  }
}

/**
 * XSLT 3.0 §5.5.4: a dynamic error while matching a pattern against a node means the pattern does not match (Saxon
 * takes that recovery; e.g. Peppol's `[$supplierCountry = 'NO']` when two VAT registrations make $supplierCountry's
 * `if` raise FORG0006).
 */
function matches(alt: PatternAlternative, node: XNode, env: Env): boolean {
  try {
    return alt.match(node, env);
  } catch (err) {
    if (err instanceof XPathError) return false;
    throw err;
  }
}

/** The skeleton's `schematron-get-full-path` (mode schematron-select-full-path) of a node. */
export function fullPath(node: XNode): string {
  if (node.kind === Kind.Document) return node.children[0] ? fullPath(node.children[0]) : '';
  let out = '';
  for (let n: XNode | null = node; n && n.kind !== Kind.Document; n = n.parent) {
    if (n.kind === Kind.Attribute) {
      out = n.ns === '' ? `/@${n.name}` : `/@*[local-name()='${n.local}' and namespace-uri()='${n.ns}']`;
      continue;
    }
    let index = 1;
    for (const s of n.parent!.children) {
      if (s === n) break;
      if (s.local === n.local && s.ns === n.ns) index++;
    }
    out = `${n.ns === '' ? `/${n.name}` : `/*:${n.local}[namespace-uri()='${n.ns}']`}[${index}]${out}`;
  }
  return out;
}
