/**
 * Decisions: first match wins, the trace records every fact a rule read, compiled conditions behave exactly like
 * json-logic-js on every whitelisted operator, and no rule can reach JavaScript prototypes.
 */
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { rawDecide, sampleFacts } from '../../../routing/bench.js';
import { compileLogic, RuleCompileError } from '../../../routing/compile.js';
import { decide } from '../../../routing/evaluate.js';
import { explainDecision } from '../../../routing/explain.js';
import { mergeFacts } from '../../../routing/fact-schema.js';
import { requireRuleSet } from '../../../routing/load.js';

const facts = (partial: unknown) => mergeFacts(partial).facts;

describe('decide', () => {
  it('returns the first matching rule, the version and a trace of every rule tried with the facts it read', async () => {
    const ruleSet = await requireRuleSet('rules');
    const decision = decide(ruleSet, facts({ customer: { kind: 'consumer' }, efaktura: { status: 'blocked' } }));
    expect(decision.ruleId).toBe('consumer-declined');
    expect(decision.rulesVersion).toBe(ruleSet.version);
    expect(decision.plan).toEqual({ steps: [{ channel: 'email' }, { channel: 'print' }] });
    expect(decision.trace.map((step) => [step.ruleId, step.matched])).toEqual([
      ['public-peppol', false],
      ['business-peppol', false],
      ['business-email', false],
      ['business-from-2030', false],
      ['consumer-credit-note', false],
      ['consumer-efaktura', false],
      ['consumer-agreement', false],
      ['consumer-declined', true],
    ]);
    expect(decision.trace[4]!.facts).toEqual([
      { path: 'customer.kind', value: 'consumer' },
      { path: 'documentType', value: 'invoice' },
    ]);
    expect(decision.trace[0]!.at).toBe('rules/routing.yaml:8:5');
  });

  it('falls back to the default, and reads only what short-circuiting reaches', async () => {
    const ruleSet = await requireRuleSet('test/unit/routing/fixtures/policy-pdf-2030');
    const decision = decide(ruleSet, facts({ customer: { kind: 'consumer' } }));
    expect(decision.ruleId).toBe('default');
    expect(decision.plan.steps.map((step) => step.channel)).toEqual(['peppol', 'email', 'print']);
    expect(decision.trace[1]!.facts).toEqual([{ path: 'customer.kind', value: 'consumer' }]);
  });

  it('hands out frozen plans', async () => {
    const ruleSet = await requireRuleSet('rules');
    const { plan } = decide(ruleSet, facts({}));
    expect(Object.isFrozen(plan) && Object.isFrozen(plan.steps) && Object.isFrozen(plan.steps[0])).toBe(true);
  });

  it('explains a decision in words', async () => {
    const ruleSet = await requireRuleSet('rules');
    const text = explainDecision(ruleSet, decide(ruleSet, facts({ customer: { kind: 'consumer' }, efaktura: { status: 'not_found' } })));
    expect(text).toContain('✓ consumer-agreement');
    expect(text).toContain('efaktura.status = "not_found"');
    expect(text).toContain('1. efaktura (request agreement via auto, wait P3D)');
    expect(text).toContain('1 later rule not tried');
  });
});

describe('compiled conditions', () => {
  it('decide the same as json-logic-js on 5 000 sampled fact sets (shipped and bench rules)', async () => {
    const samples = sampleFacts(5_000, 7);
    for (const dir of ['rules', 'routing/bench-rules']) {
      const ruleSet = await requireRuleSet(dir);
      for (const sample of samples) expect(decide(ruleSet, sample).ruleId).toBe(rawDecide(ruleSet, sample));
    }
  });

  const data = { a: 5, b: '5', s: 'Kraftlaget', list: [1, 2, 3], empty: [], nested: { n: null, z: 0, t: '' }, tags: ['vip', 'x'] };
  const expressions: unknown[] = [
    { '===': [{ var: 'a' }, 5] },
    { '!==': [{ var: 'b' }, 5] },
    { '<': [1, { var: 'a' }, 10] },
    { '<=': [5, { var: 'a' }, 5] },
    { '>': [{ var: 'a' }, '4'] },
    { '>=': [{ var: 's' }, 'K'] },
    { and: [{ var: 'a' }, { var: 'empty' }, true] },
    { or: [{ var: 'nested.z' }, { var: 'nested.t' }, { var: 's' }] },
    { or: [] },
    { '!': { var: 'empty' } },
    { '!!': [{ var: 'list' }] },
    { if: [{ var: 'nested.n' }, 'a', { var: 'a' }, 'b', 'c'] },
    { if: [false, 1] },
    { '?:': [true, 1, 2] },
    { in: ['vip', { var: 'tags' }] },
    { in: ['laget', { var: 's' }] },
    { in: [5, { var: 'a' }] },
    { '+': [{ var: 'a' }, '2.5', 1] },
    { '+': ['3'] },
    { '*': [{ var: 'a' }, 2] },
    { '*': ['3'] },
    { '-': [{ var: 'a' }] },
    { '-': [{ var: 'a' }, 7] },
    { '/': [{ var: 'a' }, 2] },
    { '%': [{ var: 'a' }, 3] },
    { min: [{ var: 'a' }, 2, 9] },
    { max: [{ var: 'a' }, 2, 9] },
    { cat: ['x', { var: 'a' }, null, 'y'] },
    { substr: [{ var: 's' }, -4] },
    { substr: [{ var: 's' }, 1, 3] },
    { substr: [{ var: 's' }, 1, -2] },
    { merge: [[1], 2, [{ var: 'list' }]] },
    { missing: ['a', 'nested.n', 'nested.t', 'nope'] },
    { missing: [['a', 'nope']] },
    { missing_some: [1, ['a', 'nope']] },
    { missing_some: [2, ['a', 'nope']] },
    { map: [{ var: 'list' }, { '*': [{ var: '' }, 2] }] },
    { filter: [{ var: 'list' }, { '>': [{ var: '' }, 1] }] },
    { reduce: [{ var: 'list' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 10] },
    { all: [{ var: 'list' }, { '>': [{ var: '' }, 0] }] },
    { all: [{ var: 'empty' }, true] },
    { some: [{ var: 'list' }, { '===': [{ var: '' }, 3] }] },
    { none: [{ var: 'list' }, { '===': [{ var: '' }, 3] }] },
    { none: [{ var: 'empty' }, true] },
    { var: ['nested.missing', 'fallback'] },
    { var: 'nested.n' },
    { var: 'list.1' },
    [{ var: 'a' }, 2],
    { a: 1, b: 2 },
  ];
  for (const expression of expressions) {
    it(`match json-logic-js: ${JSON.stringify(expression)}`, () => {
      expect(compileLogic(expression)(data, null)).toEqual(jsonLogic.apply(expression as jsonLogic.RulesLogic, data));
    });
  }

  it('refuse operators outside the whitelist and prototype paths', () => {
    expect(() => compileLogic({ method: [{ var: 's' }, 'toUpperCase'] })).toThrow(RuleCompileError);
    expect(() => compileLogic({ '==': [1, '1'] })).toThrow(RuleCompileError);
    expect(() => compileLogic({ var: 'a.constructor' })).toThrow(RuleCompileError);
    expect(() => compileLogic({ var: '__proto__' })).toThrow(RuleCompileError);
  });

  it('read own properties only', () => {
    expect(compileLogic({ var: 'toString' })(data, null)).toBeNull();
    expect(compileLogic({ var: ['s.toString', 'none'] })(data, null)).toBe('none');
    expect(compileLogic({ missing: ['hasOwnProperty'] })({}, null)).toEqual(['hasOwnProperty']);
  });
});
