/**
 * Our validation stage on a worker thread (issue 9, hostile input): the same verdict as in place, the event loop free
 * meanwhile, a budget that ends a check which runs too long, and a bounded queue.
 */
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { startSubmissionCheckPool, SubmissionCheckBudgetExceeded, SubmissionChecksBusy } from '../../../validation/submission-check-pool.js';
import { ourVerdict, type Submission } from '../../../validation/submission.js';
import { businessInvoice } from '../../support/invoices.js';
import { longestStall } from '../../support/event-loop-stall.js';

const base = businessInvoice('POOL-1');
const large: Submission = { mediaType: 'application/json', content: JSON.stringify({ ...base, lines: Array.from({ length: 3000 }, (_, i) => ({ ...base.lines[0]!, id: String(i + 1) })) }) };
const pool = startSubmissionCheckPool();
afterAll(() => pool.close());

describe('the submission check pool', () => {
  it('gives the verdict our stage gives in place', async () => {
    const small: Submission = { mediaType: 'application/json', content: JSON.stringify(base) };
    const there = await pool.check(small);
    expect(there.issues).toEqual(ourVerdict(small).issues);
    expect(there.ehfXml).toBe(ourVerdict(small).ehfXml);
    const refused = await pool.check({ mediaType: 'application/json', content: '{"invoiceNumber": 1}' });
    expect(refused.invoice).toBeUndefined();
    expect(refused.issues.length).toBeGreaterThan(0);
  });

  it('keeps this thread free while it checks 3,000 lines, where in place it stalls', async () => {
    await pool.check(large); // warm the worker's modules
    const offLoop = await longestStall(() => pool.check(large));
    const inPlace = await longestStall(async () => ourVerdict(large));
    expect(inPlace).toBeGreaterThan(150);
    expect(offLoop).toBeLessThan(100);
  });

  it('checks large XML for well-formedness there, as fast-xml-parser does here, with the thread free', async () => {
    const good = `<Invoice>${'<a x="1">t</a>'.repeat(200_000)}</Invoice>`;
    const bad = `<Invoice>${'<a x="1">t</a>'.repeat(200_000)}<b></Invoice>`;
    expect(await pool.wellFormed(good)).toBe(true);
    const where = XMLValidator.validate(bad);
    expect(where).not.toBe(true);
    if (where === true) return;
    let found: unknown;
    const stall = await longestStall(async () => (found = await pool.wellFormed(bad)));
    expect(found).toEqual({ line: where.err.line, col: where.err.col, msg: where.err.msg });
    expect(stall).toBeLessThan(100);
  });

  it('ends a check over its budget with SubmissionCheckBudgetExceeded and keeps working after it', async () => {
    const tight = startSubmissionCheckPool({ budgetMs: 5 });
    try {
      await expect(tight.check(large)).rejects.toBeInstanceOf(SubmissionCheckBudgetExceeded);
    } finally {
      await tight.close();
    }
    expect((await pool.check({ mediaType: 'application/json', content: JSON.stringify(base) })).ehfXml).toBeDefined();
  });

  it('refuses to queue more than queueLimit checks with SubmissionChecksBusy', async () => {
    const small = startSubmissionCheckPool({ queueLimit: 1 });
    try {
      const first = small.check(large); // waits for the worker to be ready: the queue holds it
      await expect(small.check(large)).rejects.toBeInstanceOf(SubmissionChecksBusy);
      await first;
    } finally {
      await small.close();
    }
  });
});
