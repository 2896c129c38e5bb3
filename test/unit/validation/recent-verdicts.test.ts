/**
 * Issue 12: with the worker beside the API, one invoice's text is checked by the API, by the prepare step and for its
 * delivery within a second; validation/our-stage-off-loop.ts gives the later ones the first verdict. Same text, same
 * verdict; any other text (or media type) its own; bounded.
 */
import { describe, expect, it } from 'vitest';
import { sampleInvoiceBody } from '../../../ehf/official-sample-invoices.js';
import { ourVerdictOffLoop, RECENT_VERDICTS, recentVerdict } from '../../../validation/our-stage-off-loop.js';
import { ourVerdict, type Submission } from '../../../validation/submission.js';

const json = (invoiceNumber: string): Submission => ({ mediaType: 'application/json', content: JSON.stringify(sampleInvoiceBody(2, 'standard', invoiceNumber)) });

describe('recent verdicts', () => {
  it('gives the same text the verdict it gave before, equal to a fresh one', async () => {
    const first = await ourVerdictOffLoop(json('RV-1'));
    // A different string object with the same text, as the archive gives it back.
    const again = await ourVerdictOffLoop({ mediaType: 'application/json', content: [...json('RV-1').content].join('') });
    expect(again).toBe(first);
    expect(again).toEqual(ourVerdict(json('RV-1')));
    expect(first.ehfXml).toContain('<cbc:ID>RV-1</cbc:ID>');
    // What a delivery asks: the verdict if there is one, nothing done if not.
    expect(recentVerdict(json('RV-1'))).toBe(first);
    expect(recentVerdict(json('RV-NEVER-CHECKED'))).toBeUndefined();
  });

  it('gives another text, or the same text as another media type, a verdict of its own', async () => {
    const one = await ourVerdictOffLoop(json('RV-2'));
    const other = await ourVerdictOffLoop(json('RV-3'));
    expect(other).not.toBe(one);
    expect(other.ehfXml).toContain('<cbc:ID>RV-3</cbc:ID>');
    const asXml = await ourVerdictOffLoop({ mediaType: 'application/xml', content: json('RV-2').content });
    expect(asXml.invoice).toBeUndefined(); // JSON read as XML does not parse
    expect(asXml.issues.length).toBeGreaterThan(0);
  });

  it('keeps only the last few', async () => {
    const oldest = await ourVerdictOffLoop(json('RV-OLD'));
    for (let i = 0; i < RECENT_VERDICTS; i++) await ourVerdictOffLoop(json(`RV-FILL-${i}`));
    const later = await ourVerdictOffLoop(json('RV-OLD'));
    expect(later).not.toBe(oldest); // checked anew: it had been dropped
    expect(later).toEqual(oldest);
  });
});
