/**
 * What-if: run past decisions' facts through the active and a candidate rule set and show what would change,
 * grouped by transition (rule → rule, plan → plan) with example ids, before the candidate goes live.
 *
 * Input is JSON Lines, one case per line, in any of these forms:
 *   {"id": "2026-0042", "facts": {…}}                      routing facts (partial facts merge onto the base)
 *   {"id": "2026-0043", "invoice": {…}, "given": {…}}      our invoice JSON, lookups/overrides in given
 *   {…}                                                    bare facts; the id is the line number
 */
import { isFatal, issue, type ValidationIssue } from '../validation/issue.js';
import { decide } from './evaluate.js';
import { mergeFacts } from './fact-schema.js';
import type { RoutingFacts } from './facts.js';
import { factsFromInvoiceJson } from './invoice-facts.js';
import type { Plan } from './plan.js';
import { formatPlan, plansEqual } from './plan-syntax.js';
import type { RuleSet } from './rule-set.js';

export interface WhatIfCase {
  id: string;
  facts: RoutingFacts;
}

export interface WhatIfOutcome {
  ruleId: string;
  plan: Plan;
}

export interface WhatIfTransition {
  from: WhatIfOutcome;
  to: WhatIfOutcome;
  count: number;
  /** Up to `exampleLimit` case ids. */
  examples: string[];
}

export interface WhatIfReport {
  currentVersion: string;
  candidateVersion: string;
  total: number;
  unchanged: number;
  /** A different plan: deliveries would change. */
  planChanged: number;
  /** Same plan, chosen by a different rule: only the audit trail changes. */
  ruleChanged: number;
  /** Changed cases only, most frequent first. */
  transitions: WhatIfTransition[];
}

export function whatIf(current: RuleSet, candidate: RuleSet, cases: Iterable<WhatIfCase>, options: { exampleLimit?: number } = {}): WhatIfReport {
  const exampleLimit = options.exampleLimit ?? 5;
  const report: WhatIfReport = { currentVersion: current.version, candidateVersion: candidate.version, total: 0, unchanged: 0, planChanged: 0, ruleChanged: 0, transitions: [] };
  const byKey = new Map<string, WhatIfTransition>();
  for (const { id, facts } of cases) {
    report.total++;
    const before = decide(current, facts);
    const after = decide(candidate, facts);
    const samePlan = plansEqual(before.plan, after.plan);
    if (samePlan && before.ruleId === after.ruleId) {
      report.unchanged++;
      continue;
    }
    if (samePlan) report.ruleChanged++;
    else report.planChanged++;
    const key = `${before.ruleId}\u0000${formatPlan(before.plan)}\u0000${after.ruleId}\u0000${formatPlan(after.plan)}`;
    let transition = byKey.get(key);
    if (!transition) {
      transition = { from: { ruleId: before.ruleId, plan: before.plan }, to: { ruleId: after.ruleId, plan: after.plan }, count: 0, examples: [] };
      byKey.set(key, transition);
    }
    transition.count++;
    if (transition.examples.length < exampleLimit) transition.examples.push(id);
  }
  report.transitions = [...byKey.values()].sort((a, b) => b.count - a.count);
  return report;
}

/** Reads JSON Lines of cases; a bad line is an issue at `label:line:1` and is skipped. */
export function readWhatIfCases(text: string, label: string): { cases: WhatIfCase[]; issues: ValidationIssue[] } {
  const cases: WhatIfCase[] = [];
  const issues: ValidationIssue[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const at = `${label}:${index + 1}:1`;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      issues.push(issue('FF-RULE-WHAT-IF', `Not JSON: ${(error as Error).message}. Each line holds one JSON object.`, at));
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push(issue('FF-RULE-WHAT-IF', 'Each line holds one JSON object: {"id": …, "facts": {…}} or {"id": …, "invoice": {…}}.', at));
      return;
    }
    const record = value as Record<string, unknown>;
    const structured = 'facts' in record || 'invoice' in record;
    const id = structured && record.id !== undefined ? String(record.id) : `line ${index + 1}`;
    let base: RoutingFacts | undefined;
    if (structured && record.invoice !== undefined) {
      const fromInvoice = factsFromInvoiceJson(record.invoice);
      for (const found of fromInvoice.issues.filter(isFatal)) issues.push(issue(found.rule, `${id}: invoice${found.path}: ${found.message}`, at));
      base = fromInvoice.facts;
      if (!base) return;
    }
    const partial = structured ? (record.invoice !== undefined ? record.given : record.facts) : record;
    const merged = mergeFacts(partial ?? {}, base);
    if (merged.problems.length > 0) {
      for (const problem of merged.problems) issues.push(issue('FF-RULE-WHAT-IF', `${id}: ${problem.message}`, at));
      return;
    }
    cases.push({ id, facts: merged.facts });
  });
  return { cases, issues };
}

export function formatWhatIf(report: WhatIfReport): string {
  const lines = [
    `What-if ${report.currentVersion} → ${report.candidateVersion}: ${report.total} case${report.total === 1 ? '' : 's'}, ` +
      `${report.unchanged} unchanged, ${report.planChanged} with a different plan, ${report.ruleChanged} with the same plan from another rule`,
  ];
  for (const transition of report.transitions) {
    lines.push(
      `  ${String(transition.count).padStart(5)} × ${transition.from.ruleId} (${formatPlan(transition.from.plan)}) → ${transition.to.ruleId} (${formatPlan(transition.to.plan)})` +
        `  e.g. ${transition.examples.join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
