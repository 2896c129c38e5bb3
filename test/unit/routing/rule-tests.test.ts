/**
 * Rule tests next to the rules: failures name the test and what was decided instead, at the test's `expect`;
 * bad facts, unknown rule ids and unreadable invoices are reported where they are written.
 */
import { describe, expect, it } from 'vitest';
import { lintRuleFolder } from '../../../routing/lint.js';
import { loadRuleSet } from '../../../routing/load.js';
import { runRuleTests } from '../../../routing/rule-tests.js';

const dir = 'test/unit/routing/fixtures/rule-tests';
const file = `${dir}/routing.test.yaml`;

describe('rule tests', () => {
  it('run against the rule set and report each failure at its expect', async () => {
    const loaded = await loadRuleSet(dir);
    const report = runRuleTests(loaded.ruleSet!, loaded.folder.testFiles);
    expect([report.passed, report.failed]).toEqual([1, 4]);
    expect(report.issues.map((found) => [found.rule, found.path])).toEqual([
      ['FF-RULE-TEST', `${file}:8:13`],
      ['FF-RULE-TEST-FACT', `${file}:10:24`],
      ['FF-RULE-TEST', `${file}:11:13`],
      ['FF-RULE-TEST', `${file}:14:13`],
      ['FF-RULE-TEST-STRUCTURE', `${file}:14:20`],
      ['BR-02', `${file}:16:14`],
      ['BR-03', `${file}:16:14`],
      ['FF-RULE-TEST', `${file}:17:13`],
    ]);
    const wrong = report.issues.find((found) => found.path === `${file}:8:13`)!;
    expect(wrong.message).toBe(
      "Test 'wrong expectation' expected rule 'consumers' with plan efaktura → email → print, got rule 'consumers' with plan email → print. " +
        'Tried: public ✗, consumers ✓. Facts read: customer.kind = "consumer".',
    );
    expect(report.issues.find((found) => found.rule === 'FF-RULE-TEST-FACT')!.message).toContain("Did you mean 'customer.kind'?");
    expect(report.issues.find((found) => found.rule === 'FF-RULE-TEST-STRUCTURE')!.message).toContain("Did you mean 'default'?");
  });

  it('are linted without running them', async () => {
    const issues = await lintRuleFolder(dir);
    expect(issues.map((found) => [found.rule, found.path])).toEqual([
      ['FF-RULE-TEST-FACT', `${file}:10:24`],
      ['FF-RULE-TEST-STRUCTURE', `${file}:14:20`],
      ['BR-02', `${file}:16:14`],
      ['BR-03', `${file}:16:14`],
    ]);
  });
});
