/**
 * The rule linter: everything that can be said about a rule set before it routes a single invoice, as
 * `ValidationIssue`s with `file:line:col` and a fix in the message.
 *
 * Per file (yaml-source.ts, rule-file.ts, condition-check.ts, plan-syntax.ts): YAML syntax, structure, operators,
 * facts, types, leading zeros, bare strings, plans. Across the set (here): unique ids, exactly one default, rules
 * no facts can reach, and — by exploring which rule decides which facts (fact-space.ts) — plans that break the
 * delivery policy (policy.ts) for some buyer on some issue date.
 */
import { isFatal, issue, type ValidationIssue } from '../validation/issue.js';
import { FactSpace, UNDECIDABLE, bothShapes, explore, type ConditionShape, type Decider } from './fact-space.js';
import type { Plan } from './plan.js';
import { formatPlan } from './plan-syntax.js';
import { DELIVERY_RULES, type DeliveryRule } from './policy.js';
import { sortIssues } from './issue-order.js';
import { readRuleFile, type DefaultDraft, type RuleDraft } from './rule-file.js';
import { readRuleFolder } from './rule-folder.js';
import { checkExpectedRules, readRuleTestFile } from './rule-tests.js';
import { parseYamlSource, childPointer, type SourceFile } from './yaml-source.js';
import type { RoutingFacts } from './facts.js';

export interface CheckedRules {
  /** All rules of the set in order (files by name, rules as written). */
  rules: RuleDraft[];
  default?: DefaultDraft;
  issues: ValidationIssue[];
}

export interface LintOptions {
  /** How the folder is named in issues that belong to no file (no rule files at all). */
  folderLabel?: string;
  /** Work budget of the reachability and policy analysis. */
  analysisBudget?: number;
}

const byName = (a: SourceFile, b: SourceFile): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function checkRuleFiles(files: readonly SourceFile[], options: LintOptions = {}): CheckedRules {
  const issues: ValidationIssue[] = [];
  const rules: RuleDraft[] = [];
  const defaults: DefaultDraft[] = [];
  let unreadable = false;
  if (files.length === 0) {
    issues.push(issue('FF-RULE-FILES', 'No rule files (*.yaml) in this folder; a rule set needs at least one file with a default.', options.folderLabel ?? '.'));
    return { rules, issues };
  }
  for (const file of [...files].sort(byName)) {
    const parsed = parseYamlSource(file);
    issues.push(...parsed.issues);
    if (parsed.issues.some((found) => found.rule === 'FF-RULE-YAML' && found.severity === 'fatal') || parsed.doc.value === undefined) {
      unreadable = true;
      continue;
    }
    const content = readRuleFile(parsed.doc);
    issues.push(...content.issues);
    rules.push(...content.rules);
    if (content.default) defaults.push(content.default);
  }

  const firstAt = new Map<string, string>();
  for (const rule of rules) {
    const earlier = firstAt.get(rule.id);
    if (earlier !== undefined) {
      issues.push(issue('FF-RULE-ID', `Rule id '${rule.id}' is already used at ${earlier}; ids must be unique, since decisions record them. Rename one.`, rule.doc.at(childPointer(rule.pointer, 'id'))));
    } else {
      firstAt.set(rule.id, rule.at);
    }
  }

  if (defaults.length === 0 && !unreadable) {
    const first = [...files].sort(byName)[0]!;
    issues.push(
      issue(
        'FF-RULE-DEFAULT',
        'The rule set has no default: invoices no rule matches need a plan too. Add to one file: default: {description: Anyone else, then: [email, print]}.',
        `${first.label}:1:1`,
      ),
    );
  }
  for (const extra of defaults.slice(1)) {
    issues.push(issue('FF-RULE-DEFAULT', `A default is already given at ${defaults[0]!.at}; a rule set has exactly one. Remove this one or turn it into a rule.`, extra.at));
  }

  const theDefault = defaults[0];
  if (!unreadable) issues.push(...analyse(rules, theDefault, options.analysisBudget));
  return { rules, ...(theDefault ? { default: theDefault } : {}), issues: sortIssues(issues) };
}

function showValue(value: unknown): string {
  // Text just after a literal is represented as literal + NUL; show it escaped rather than pretend it is the literal.
  return typeof value === 'string' ? `'${value.replace(/\u0000/g, '\\u0000')}'` : JSON.stringify(value);
}

function example(point: Readonly<RoutingFacts>, paths: readonly string[]): string {
  return paths
    .map((path) => {
      let node: unknown = point;
      for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
      return `${path} = ${showValue(node)}`;
    })
    .join(', ');
}

/** Unreachable rules and delivery-policy breaches, found by exploring which rule decides which facts. */
function analyse(rules: readonly RuleDraft[], theDefault: DefaultDraft | undefined, budget?: number): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const space = new FactSpace();
  const shapes: ConditionShape[] = rules.map((rule) => (rule.whenValid ? space.analyse(rule.when) : UNDECIDABLE));
  const policies = DELIVERY_RULES.map((check) => ({ check, shape: space.analyse(check.when) }));

  const breaches = new Map<string, { decider: Decider; check: DeliveryRule; example: string; plan: Plan }>();
  const planOf = (decider: Decider): Plan | undefined => (decider === 'default' ? theDefault?.plan : rules[decider]!.plan);
  const result = explore(space, shapes, {
    ...(budget !== undefined ? { budget } : {}),
    visit: (region, decider) => {
      const plan = planOf(decider);
      if (!plan) return;
      for (const { check, shape } of policies) {
        const key = `${decider}\u0000${check.rule}`;
        if (check.allows(plan) || breaches.has(key)) continue;
        const facts = region.witness(shape);
        if (facts) breaches.set(key, { decider, check, example: example(facts, shape.paths), plan });
      }
    },
  });

  for (const { decider, check, example: facts, plan } of breaches.values()) {
    const draft: RuleDraft | DefaultDraft | undefined = decider === 'default' ? theDefault : rules[decider];
    if (!draft) continue;
    const stepIndex = check.step ? plan.steps.findIndex((step) => step.channel === check.step) : -1;
    const thenPointer = decider === 'default' ? draft.pointer : childPointer(draft.pointer, 'then');
    const at = stepIndex >= 0 && draft.stepPointers[stepIndex] ? draft.doc.at(draft.stepPointers[stepIndex]!) : draft.doc.at(thenPointer);
    const subject = decider === 'default' ? 'The default' : `Rule '${rules[decider]!.id}'`;
    issues.push(issue(check.rule, `${subject} sends ${check.who} to ${formatPlan(plan)} (e.g. ${facts}); ${check.why}. Fix: ${check.fix}.`, at, check.severity));
  }

  if (!result.complete) return issues;
  rules.forEach((rule, index) => {
    if (result.reachable[index] || !shapes[index]!.decidable) return;
    const alone = explore(space, [shapes[index]!]);
    let why: string;
    if (alone.complete && !alone.reachable[0]) {
      why = 'its condition is false for every possible invoice (it asks for facts that exclude each other). Fix: correct the condition or delete the rule.';
    } else {
      const takers = rules.slice(0, index).filter((_, j) => {
        const overlap = explore(space, [bothShapes(shapes[j]!, shapes[index]!)]);
        return overlap.reachable[0];
      });
      const shown = takers.slice(0, 4).map((taker) => `'${taker.id}' (${taker.at})`);
      const names = takers.length > 4 ? `${shown.join(', ')} and ${takers.length - 4} more` : shown.join(', ');
      why = `every invoice it matches is taken first by ${names || 'earlier rules'}. Fix: move it above ${takers.length === 1 ? 'that rule' : 'them'}, or narrow ${takers.length === 1 ? 'it' : 'them'}.`;
    }
    issues.push(issue('FF-RULE-UNREACHABLE', `Rule '${rule.id}' can never match: ${why}`, rule.at));
  });
  return issues;
}

/** Lints a rules folder: the rule files, and the test files as far as they can be checked without running them. */
export async function lintRuleFolder(dir: string, options: LintOptions = {}): Promise<ValidationIssue[]> {
  const folder = await readRuleFolder(dir);
  if (folder.issues.some(isFatal)) return folder.issues;
  const checked = checkRuleFiles(folder.ruleFiles, { folderLabel: dir, ...options });
  const ruleIds = [...checked.rules.map((rule) => rule.id), 'default'];
  const testIssues = folder.testFiles.flatMap((file) => {
    const read = readRuleTestFile(file);
    return [...read.issues, ...checkExpectedRules(read.cases, ruleIds)];
  });
  return sortIssues([...folder.issues, ...checked.issues, ...testIssues]);
}
