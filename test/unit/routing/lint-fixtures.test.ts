/**
 * Broken rule folders, one per kind of mistake (fixtures/<name>/), each with the exact issues lint must report:
 * rule id, file:line:col and severity, and nothing else. Messages are checked for their fix hint.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintRuleFolder } from '../../../routing/lint.js';
import { loadRuleSet } from '../../../routing/load.js';
import { decide } from '../../../routing/evaluate.js';
import { mergeFacts } from '../../../routing/fact-schema.js';

const fixtures = relative(process.cwd(), fileURLToPath(new URL('./fixtures', import.meta.url)));

type Expected = [rule: string, at: string, severity: 'fatal' | 'warning', hint?: string | RegExp];

const cases: Record<string, Expected[]> = {
  'yaml-syntax': [['FF-RULE-YAML', 'routing.yaml:5:5', 'fatal', /end with a \}.*close it/]],
  operators: [
    ['FF-RULE-OPERATOR', 'routing.yaml:4:12', 'fatal', "Unknown operator 'equals'. Did you mean '==='?"],
    ['FF-RULE-LOOSE-EQUALITY', 'routing.yaml:8:12', 'fatal', "write '==='"],
    ['FF-RULE-OPERATOR', 'routing.yaml:12:21', 'fatal', "'method' would let a rule call any JavaScript method"],
  ],
  facts: [
    ['FF-RULE-FACT', 'routing.yaml:4:28', 'fatal', "Unknown fact 'customer.knid'. Did you mean 'customer.kind'?"],
    ['FF-RULE-FACT', 'routing.yaml:8:28', 'fatal', "'customer' is a group of facts, not a value; read one of customer.kind"],
    ['FF-RULE-FACT', 'routing.yaml:12:24', 'fatal', "Did you mean 'customer.hasEmail'?"],
  ],
  types: [
    ['FF-RULE-VALUE', 'routing.yaml:4:46', 'fatal', "'publik' is none of them. Did you mean 'public'?"],
    ['FF-RULE-TYPE', 'routing.yaml:8:45', 'fatal', 'write the number without quotes: 1000'],
    ['FF-RULE-TYPE', 'routing.yaml:12:51', 'fatal', "write it as text: '923609016'"],
    ['FF-RULE-VALUE', 'routing.yaml:16:41', 'fatal', "Write e.g. '2027-01-01'"],
    ['FF-RULE-TYPE', 'routing.yaml:20:50', 'fatal', 'write true without quotes'],
  ],
  'leading-zeros': [
    ['FF-RULE-LEADING-ZERO', 'routing.yaml:11:51', 'fatal', "012345674 is read as the number 12345674: YAML drops the leading zero. Org numbers, KIDs and account numbers are text; quote it: '012345674'."],
    ['FF-RULE-LEADING-ZERO', 'routing.yaml:18:19', 'fatal', "quote it: '1234567890123456789012345'"],
  ],
  'bare-strings': [
    ['FF-RULE-BARE-STRING', 'routing.yaml:8:11', 'fatal', 'To test the fact write {"var": "customer.hasEmail"}'],
    ['FF-RULE-BARE-STRING', 'routing.yaml:14:11', 'fatal', 'Write it as json-logic: {"===": [{"var": "customer.kind"}, "consumer"]}'],
  ],
  unreachable: [
    ['FF-RULE-UNREACHABLE', 'routing.yaml:10:5', 'fatal', /taken first by 'consumers' \(.*routing\.yaml:6:5\)\. Fix: move it above that rule/],
    ['FF-RULE-UNREACHABLE', 'routing.yaml:17:5', 'fatal', 'its condition is false for every possible invoice'],
  ],
  'missing-default': [['FF-RULE-DEFAULT', 'routing.yaml:1:1', 'fatal', 'default: {description: Anyone else, then: [email, print]}']],
  'two-defaults': [['FF-RULE-DEFAULT', 'b-more.yaml:6:1', 'fatal', /already given at .*a-routing\.yaml:6:1/]],
  plans: [
    ['FF-RULE-CHANNEL', 'routing.yaml:9:12', 'fatal', "Unknown channel 'e-mail'. Did you mean 'email'?"],
    ['FF-RULE-PLAN-DUPLICATE', 'routing.yaml:13:26', 'fatal', 'email is already step 1 of this plan'],
    ['FF-RULE-PLAN-UNUSED', 'routing.yaml:13:26', 'warning', 'put print last'],
    ['FF-RULE-PLAN-WAIT', 'routing.yaml:18:9', 'fatal', 'Add a fallback after it'],
    ['FF-RULE-DURATION', 'routing.yaml:23:58', 'fatal', 'write days instead, e.g. P30D'],
    ['FF-RULE-PLAN', 'routing.yaml:29:29', 'fatal', 'wait belongs inside the agreement'],
  ],
  'efaktura-business': [
    ['FF-RULE-PLAN-EFAKTURA', 'routing.yaml:9:20', 'fatal', "e.g. customer.kind = 'business'"],
    ['FF-RULE-PLAN-EFAKTURA-CREDIT-NOTE', 'routing.yaml:9:20', 'warning', 'eFaktura carries invoices only'],
  ],
  'policy-b2g': [['FF-POLICY-B2G', 'routing.yaml:5:11', 'fatal', 'mandatory since 2019-04-01']],
  'policy-b2b-2027': [
    ['FF-POLICY-B2B-2027', 'routing.yaml:9:11', 'fatal', "peppol.registered = true, peppol.acceptsDocumentType = true, issueDate = '2027-01-01'"],
    ['FF-POLICY-PDF-2030', 'routing.yaml:9:11', 'warning', "issueDate = '2030-01-01'"],
  ],
  'policy-pdf-2030': [['FF-POLICY-PDF-2030', 'routing.yaml:17:11', 'warning', 'allowed until 2030-01-01 only']],
  prototype: [
    ['FF-RULE-PROTOTYPE', 'routing.yaml:8:12', 'fatal', "'__proto__' is not allowed as a key"],
    ['FF-RULE-PROTOTYPE', 'routing.yaml:12:28', 'fatal', "'constructor' reaches into JavaScript object prototypes"],
  ],
  limits: [['FF-RULE-LIMIT', 'routing.yaml:8:161', 'fatal', 'nested more than 24 levels deep']],
  structure: [
    ['FF-RULE-ID', 'routing.yaml:6:9', 'fatal', /Rule id 'public' is already used at .*routing\.yaml:2:5/],
    ['FF-RULE-STRUCTURE', 'routing.yaml:12:5', 'fatal', "Unknown key 'condition' in a rule. Did you mean 'when'?"],
    ['FF-RULE-PLAN', 'routing.yaml:14:5', 'fatal', "Rule 'no-plan' has no then:"],
    ['FF-RULE-ID', 'routing.yaml:17:9', 'fatal', "'default' is the id decisions carry"],
  ],
  'yaml-core-schema': [],
};

describe('lint reports each broken rule folder exactly', () => {
  for (const [name, expected] of Object.entries(cases)) {
    it(name, async () => {
      const issues = await lintRuleFolder(`${fixtures}/${name}`);
      expect(issues.map((found) => [found.rule, found.path, found.severity])).toEqual(expected.map(([rule, at, severity]) => [rule, `${fixtures}/${name}/${at}`, severity]));
      expected.forEach(([, , , hint], index) => {
        if (typeof hint === 'string') expect(issues[index]!.message).toContain(hint);
        else if (hint) expect(issues[index]!.message).toMatch(hint);
      });
    });
  }

  it('refuses to build a rule set from a folder with fatal issues, and builds one with warnings only', async () => {
    expect((await loadRuleSet(`${fixtures}/types`)).ruleSet).toBeUndefined();
    const warned = await loadRuleSet(`${fixtures}/policy-pdf-2030`);
    expect(warned.ruleSet?.version).toMatch(/^rs-[0-9a-f]{12}$/);
  });

  it('reads YAML 1.2: unquoted NO and no stay text', async () => {
    const { ruleSet } = await loadRuleSet(`${fixtures}/yaml-core-schema`);
    const norwegian = mergeFacts({ customer: { kind: 'consumer', country: 'NO' } }).facts;
    expect(decide(ruleSet!, norwegian).ruleId).toBe('domestic-consumers');
    const tagged = mergeFacts({ customer: { kind: 'business' }, tags: ['no'] }).facts;
    expect(decide(ruleSet!, tagged).ruleId).toBe('tagged-no');
  });

  it('reports a missing folder', async () => {
    const issues = await lintRuleFolder(`${fixtures}/does-not-exist`);
    expect(issues).toEqual([expect.objectContaining({ rule: 'FF-RULE-FILES', path: `${fixtures}/does-not-exist` })]);
  });
});
