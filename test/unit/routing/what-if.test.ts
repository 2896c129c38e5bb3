/**
 * What-if: the same facts through the active and a candidate rule set, grouped by what changes.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRuleSet } from '../../../routing/load.js';
import type { RuleSet } from '../../../routing/rule-set.js';
import { formatWhatIf, readWhatIfCases, whatIf } from '../../../routing/what-if.js';

let candidateDir: string;
let current: RuleSet;
let candidate: RuleSet;

beforeAll(async () => {
  candidateDir = await mkdtemp(join(tmpdir(), 'ff-what-if-'));
  await cp('rules/routing.yaml', join(candidateDir, 'routing.yaml'));
  const text = await readFile(join(candidateDir, 'routing.yaml'), 'utf8');
  // Blocked consumers now get paper only; the description changes nothing routed.
  await writeFile(
    join(candidateDir, 'routing.yaml'),
    text.replace('{"in": [{"var": "efaktura.status"}, ["blocked", "agreement_rejected"]]}\n    then: [email, print]', '{"in": [{"var": "efaktura.status"}, ["blocked", "agreement_rejected"]]}\n    then: [print]'),
  );
  current = await requireRuleSet('rules');
  candidate = await requireRuleSet(candidateDir);
});

afterAll(async () => {
  await rm(candidateDir, { recursive: true, force: true });
});

describe('what-if', () => {
  it('counts unchanged and changed decisions and groups the changes', () => {
    const lines = [
      JSON.stringify({ id: 'A-1', facts: { customer: { kind: 'consumer' }, efaktura: { status: 'blocked' } } }),
      JSON.stringify({ id: 'A-2', facts: { customer: { kind: 'consumer' }, efaktura: { status: 'agreement_rejected' } } }),
      JSON.stringify({ id: 'A-3', facts: { customer: { kind: 'public' } } }),
      JSON.stringify({ customer: { kind: 'consumer' }, efaktura: { status: 'found' } }),
      '',
    ].join('\n');
    const { cases, issues } = readWhatIfCases(lines, 'past.jsonl');
    expect(issues).toEqual([]);
    expect(cases.map((c) => c.id)).toEqual(['A-1', 'A-2', 'A-3', 'line 4']);
    const report = whatIf(current, candidate, cases);
    expect(report).toMatchObject({ currentVersion: current.version, candidateVersion: candidate.version, total: 4, unchanged: 2, planChanged: 2, ruleChanged: 0 });
    expect(report.transitions).toEqual([
      {
        from: { ruleId: 'consumer-declined', plan: { steps: [{ channel: 'email' }, { channel: 'print' }] } },
        to: { ruleId: 'consumer-declined', plan: { steps: [{ channel: 'print' }] } },
        count: 2,
        examples: ['A-1', 'A-2'],
      },
    ]);
    expect(formatWhatIf(report)).toContain('2 × consumer-declined (email → print) → consumer-declined (print)  e.g. A-1, A-2');
  });

  it('reads invoices too, and reports bad lines at file:line:1', () => {
    const invoice = {
      documentType: 'invoice',
      invoiceNumber: 'X-1',
      issueDate: '2026-10-01',
      currency: 'NOK',
      supplier: { name: 'S AS', taxId: '123456785', address: { country: 'NO' } },
      buyer: { name: 'Kari', kind: 'consumer', email: 'kari@example.no', address: { country: 'NO' } },
      lines: [{ description: 'x', quantity: 1, unitPrice: 100, taxCode: 'S', vatRate: 25 }],
    };
    const text = [JSON.stringify({ id: 'X-1', invoice, given: { efaktura: { status: 'blocked' } } }), '{"customer": {"kind": "publik"}}', 'nope'].join('\n');
    const { cases, issues } = readWhatIfCases(text, 'past.jsonl');
    expect(cases.map((c) => [c.id, c.facts.customer.kind, c.facts.efaktura.status, c.facts.amount.payable])).toEqual([['X-1', 'consumer', 'blocked', 125]]);
    expect(issues.map((found) => [found.rule, found.path])).toEqual([
      ['FF-RULE-WHAT-IF', 'past.jsonl:2:1'],
      ['FF-RULE-WHAT-IF', 'past.jsonl:3:1'],
    ]);
    expect(issues[0]!.message).toContain("Did you mean 'public'?");
  });
});
