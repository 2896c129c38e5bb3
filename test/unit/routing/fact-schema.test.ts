/**
 * The fact schema is the one description of RoutingFacts: it covers every fact buildRoutingFacts produces,
 * merges partial facts with clear problems, and the documentation table is generated from it.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BASE_FACTS, FACT_PATHS, describeFacts, mergeFacts } from '../../../routing/fact-schema.js';
import { buildRoutingFacts } from '../../../routing/facts.js';
import type { Invoice } from '../../../invoice/model.js';

function leaves(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key));
}

describe('fact schema', () => {
  it('describes exactly the facts buildRoutingFacts produces', () => {
    const invoice = {
      documentType: 'invoice',
      typeCode: '380',
      invoiceNumber: '1',
      issueDate: '2026-09-01',
      currency: 'NOK',
      supplier: { name: 'S', taxId: '123456785' },
      buyer: { name: 'B', kind: 'consumer', email: 'b@example.no' },
      lines: [],
    } as Invoice;
    const built = buildRoutingFacts(invoice, 100, { peppol: { registered: false, acceptsDocumentType: false }, efaktura: { status: 'found' } });
    expect(leaves(built).sort()).toEqual([...FACT_PATHS].sort());
    expect(leaves(BASE_FACTS).sort()).toEqual([...FACT_PATHS].sort());
  });

  it('merges nested and dotted partial facts onto the base', () => {
    const { facts, problems } = mergeFacts({ customer: { kind: 'consumer' }, 'efaktura.status': 'found', tags: ['vip'] });
    expect(problems).toEqual([]);
    expect(facts.customer).toEqual({ ...BASE_FACTS.customer, kind: 'consumer' });
    expect(facts.efaktura.status).toBe('found');
    expect(facts.tags).toEqual(['vip']);
    expect(BASE_FACTS.customer.kind).toBe('business');
  });

  it('reports unknown facts with a suggestion and wrong values with the allowed ones', () => {
    const { problems } = mergeFacts({ customer: { knid: 'consumer', hasEmail: 'yes' }, efaktura: { status: 'blokked' }, issueDate: '01.09.2026' });
    expect(problems).toEqual([
      { pointer: '/customer/knid', onKey: true, message: expect.stringContaining("Did you mean 'customer.kind'?") },
      { pointer: '/customer/hasEmail', onKey: false, message: expect.stringContaining('write true or false without quotes') },
      { pointer: '/efaktura/status', onKey: false, message: expect.stringContaining("Did you mean 'blocked'?") },
      { pointer: '/issueDate', onKey: false, message: expect.stringContaining('YYYY-MM-DD') },
    ]);
  });

  it('is what rules/README.md shows', async () => {
    const readme = await readFile('rules/README.md', 'utf8');
    const table = /<!-- facts:begin[^>]*-->\n([\s\S]*?)\n<!-- facts:end -->/.exec(readme)?.[1];
    expect(`${table}\n`).toBe(describeFacts());
  });
});
