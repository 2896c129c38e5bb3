/**
 * The reachability analysis: exact for rules that compare facts with literals, silent (never wrong) for the rest
 * and when its work budget runs out.
 */
import { describe, expect, it } from 'vitest';
import { checkRuleFiles } from '../../../routing/lint.js';

function lint(rules: string, options: { analysisBudget?: number } = {}) {
  const text = `rules:\n  - id: public\n    description: p\n    when: {"===": [{"var": "customer.kind"}, "public"]}\n    then: [peppol]\n${rules}default: [peppol, email, print]\n`;
  return checkRuleFiles([{ name: 'routing.yaml', label: 'routing.yaml', text }], options).issues.map((found) => `${found.rule} ${found.path} ${found.message.split(':')[0]}`);
}

const rule = (id: string, when: string, then = '[email, print]'): string => `  - id: ${id}\n    description: d\n    when: ${when}\n    then: ${then}\n`;

describe('reachability', () => {
  it('sees a threshold shadowed by a lower one, and not the other way round', () => {
    const low = rule('over-500', '{"and": [{"===": [{"var": "customer.kind"}, "consumer"]}, {">": [{"var": "amount.payable"}, 500]}]}');
    const high = rule('over-1000', '{"and": [{"===": [{"var": "customer.kind"}, "consumer"]}, {">": [{"var": "amount.payable"}, 1000]}]}');
    expect(lint(low + high)).toEqual(["FF-RULE-UNREACHABLE routing.yaml:10:5 Rule 'over-1000' can never match"]);
    expect(lint(high + low)).toEqual([]);
  });

  it('handles many tags, one yes/no question each', () => {
    const tags = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    const each = tags.map((tag) => rule(`tag-${tag}`, `{"and": [{"===": [{"var": "customer.kind"}, "consumer"]}, {"in": ["${tag}", {"var": "tags"}]}]}`)).join('');
    const both = rule('i-and-a', '{"and": [{"===": [{"var": "customer.kind"}, "consumer"]}, {"in": ["i", {"var": "tags"}]}, {"in": ["a", {"var": "tags"}]}]}');
    expect(lint(each + both)).toEqual(["FF-RULE-UNREACHABLE routing.yaml:42:5 Rule 'i-and-a' can never match"]);
    expect(lint(both + each)).toEqual([]);
  });

  it('orders text and dates like json-logic does', () => {
    const early = rule('before-2027', '{"and": [{"===": [{"var": "customer.kind"}, "consumer"]}, {"<": [{"var": "issueDate"}, "2027-01-01"]}]}');
    const earlier = rule('before-2026', '{"and": [{"===": [{"var": "customer.kind"}, "consumer"]}, {"<=": [{"var": "issueDate"}, "2025-12-31"]}]}');
    const branch = rule('branch-m', '{"and": [{"===": [{"var": "customer.kind"}, "consumer"]}, {"<": ["m", {"var": "supplier.branch"}, "n"]}]}');
    expect(lint(early + earlier + branch)).toEqual(["FF-RULE-UNREACHABLE routing.yaml:10:5 Rule 'before-2026' can never match"]);
  });

  it('says nothing about rules behind a condition it cannot analyse', () => {
    const arithmetic = rule('double', '{">": [{"*": [{"var": "amount.payable"}, 2]}, 100]}', '[peppol, email, print]');
    const shadowedOrNot = rule('consumers', '{"===": [{"var": "customer.kind"}, "consumer"]}');
    expect(lint(arithmetic + shadowedOrNot)).toEqual([]);
  });

  it('says nothing when the work budget runs out', () => {
    const low = rule('over-500', '{"and": [{"===": [{"var": "customer.kind"}, "consumer"]}, {">": [{"var": "amount.payable"}, 500]}]}');
    const high = rule('over-1000', '{"and": [{"===": [{"var": "customer.kind"}, "consumer"]}, {">": [{"var": "amount.payable"}, 1000]}]}');
    expect(lint(low + high, { analysisBudget: 3 })).toEqual([]);
  });

  it('treats when: true as a catch-all that hides everything after it', () => {
    expect(lint(rule('all', 'true', '[peppol, email, print]') + rule('consumers', '{"===": [{"var": "customer.kind"}, "consumer"]}'))).toEqual([
      "FF-RULE-UNREACHABLE routing.yaml:10:5 Rule 'consumers' can never match",
    ]);
  });
});
