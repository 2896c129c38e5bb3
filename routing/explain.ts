/**
 * A decision in words, for the CLI and the support desk: each rule tried with the facts it read, the rule that
 * chose, and the plan step by step.
 *
 *   Rules rs-f74a53a627c4 (routing.yaml)
 *     ✗ public-peppol        rules/routing.yaml:8:5    customer.kind = "consumer"
 *     ✓ consumer-agreement   rules/routing.yaml:51:5   customer.kind = "consumer", efaktura.status = "not_found"
 *   Decided by consumer-agreement: Consumers without an agreement are asked for one …
 *   Plan:
 *     1. efaktura (request agreement via auto, wait P3D)
 *     2. email
 *     3. print
 */
import type { Decision } from './evaluate.js';
import { formatStep } from './plan-syntax.js';
import { DEFAULT_RULE_ID, type RuleSet } from './rule-set.js';

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(1, width - text.length));

export function explainDecision(ruleSet: RuleSet, decision: Decision): string {
  const lines: string[] = [`Rules ${ruleSet.version} (${ruleSet.files.map((file) => file.name).join(', ')})`];
  const idWidth = Math.max(0, ...decision.trace.map((step) => step.ruleId.length)) + 3;
  const atWidth = Math.max(0, ...decision.trace.map((step) => step.at.length)) + 3;
  for (const step of decision.trace) {
    const facts = step.facts.map((fact) => `${fact.path} = ${JSON.stringify(fact.value)}`).join(', ');
    lines.push(`  ${step.matched ? '✓' : '✗'} ${pad(step.ruleId, idWidth)}${pad(step.at, atWidth)}${facts || '(reads no facts)'}`);
  }
  const notTried = ruleSet.rules.length - decision.trace.length;
  if (notTried > 0) lines.push(`  … ${notTried} later rule${notTried === 1 ? '' : 's'} not tried (first match wins)`);
  if (decision.ruleId === DEFAULT_RULE_ID) {
    lines.push(`No rule matched; the default decides (${ruleSet.default.at})${ruleSet.default.description ? `: ${ruleSet.default.description}` : ''}`);
  } else {
    const rule = ruleSet.rules.find((candidate) => candidate.id === decision.ruleId);
    lines.push(`Decided by ${decision.ruleId}${rule?.description ? `: ${rule.description}` : ''}`);
  }
  lines.push('Plan:');
  decision.plan.steps.forEach((step, index) => lines.push(`  ${index + 1}. ${formatStep(step)}`));
  return `${lines.join('\n')}\n`;
}
