/**
 * The decision: the first rule whose condition holds chooses the plan, else the default does. The trace lists
 * every rule tried, whether it matched and the value of each fact it read (in reading order, once each), so
 * explain, dry-run and the audit trail can say why. Conditions were compiled once at load time, so a decision is
 * a few closure calls per rule.
 */
import type { FactRead } from './compile.js';
import type { RoutingFacts } from './facts.js';
import type { RoutingDecision } from './plan.js';
import { DEFAULT_RULE_ID, type RuleSet } from './rule-set.js';

export type { FactRead } from './compile.js';

export interface RuleTrace {
  ruleId: string;
  /** `file:line:col` of the rule. */
  at: string;
  matched: boolean;
  facts: FactRead[];
}

/** The plan is shared and frozen: record or copy it, do not change it. */
export type Decision = RoutingDecision & { trace: RuleTrace[] };

export class RuleEvaluationError extends Error {
  override readonly name = 'RuleEvaluationError';
  constructor(
    readonly ruleId: string,
    readonly rulesVersion: string,
    cause: unknown,
  ) {
    super(`Rule '${ruleId}' of ${rulesVersion} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

export function decide(ruleSet: RuleSet, facts: Readonly<RoutingFacts>): Decision {
  const trace: RuleTrace[] = [];
  const rules = ruleSet.rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const reads: FactRead[] = [];
    let matched: boolean;
    try {
      matched = rule.matches(facts, reads);
    } catch (error) {
      throw new RuleEvaluationError(rule.id, ruleSet.version, error);
    }
    trace.push({ ruleId: rule.id, at: rule.at, matched, facts: reads });
    if (matched) return { ruleId: rule.id, rulesVersion: ruleSet.version, plan: rule.plan, trace };
  }
  return { ruleId: DEFAULT_RULE_ID, rulesVersion: ruleSet.version, plan: ruleSet.default.plan, trace };
}
