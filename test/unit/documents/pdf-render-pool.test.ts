/**
 * Issue 9, defect 1: a PDF with every text field at its longest allowed length (invoice/text-limits.ts) renders fast,
 * and on the render pool the event loop stays responsive while it renders; a render over its budget fails alone and
 * the pool goes on.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../../documents/invoice-pdf.js';
import { readPdfText } from '../../../documents/pdf-text.js';
import { PdfRenderBudgetExceeded, startPdfRenderPool } from '../../../documents/pdf-render-pool.js';
import { TEXT_LIMITS } from '../../../invoice/text-limits.js';
import type { Invoice } from '../../../invoice/model.js';
import { manyLines, sampleInvoice, sampleTotals } from './sample-invoice.js';
import { longestStall } from '../../support/event-loop-stall.js';

/** A word without spaces of exactly the field's limit: the case that made the old typesetting quadratic. */
const longest = (field: string, letter = 'W') => letter.repeat(TEXT_LIMITS[field]!);

function longestInvoice(): Invoice {
  const invoice = sampleInvoice();
  const address = { street: longest('street'), additionalStreet: longest('additionalStreet'), city: longest('city'), postalCode: longest('postalCode', '5'), country: 'NO' };
  invoice.supplier = { ...invoice.supplier, name: longest('name'), legalName: longest('legalName'), address, contact: { name: longest('name'), email: longest('email', 'e'), phone: longest('phone', '9') } };
  invoice.buyer = { ...invoice.buyer, name: longest('name'), address, customerNumber: longest('customerNumber', '1') };
  invoice.buyerReference = longest('buyerReference');
  invoice.orderReference = longest('orderReference');
  invoice.notes = [longest('notes')];
  invoice.payment = { ...invoice.payment!, terms: longest('terms') };
  invoice.lines = invoice.lines.map((line) => ({
    ...line,
    description: longest('description'),
    itemDescription: longest('itemDescription'),
    note: longest('note'),
    sellerItemId: longest('sellerItemId'),
  }));
  return invoice;
}

const pool = startPdfRenderPool({ workers: 1, budgetMs: 60_000 });
afterAll(() => pool.close());

describe('a PDF with the longest allowed fields', () => {
  it('renders in bounded time in-process, every line of text on the page', async () => {
    const started = performance.now();
    const pdf = await renderInvoicePdf(longestInvoice(), sampleTotals());
    // The quadratic typesetting took minutes for 50,000 characters; this is seconds at most on a busy machine.
    expect(performance.now() - started).toBeLessThan(10_000);
    const { pages } = await readPdfText(pdf);
    // The 1,000-character description wraps over many lines and pages rather than being cut off.
    expect(pages.join('\n').replace(/[^W]/g, '').length).toBeGreaterThan(4 * TEXT_LIMITS.description!);
  });

  it('renders on the pool while the event loop stays responsive', async () => {
    let longestPdf: Uint8Array | undefined;
    const longestGap = await longestStall(async () => {
      const { invoice, totals } = manyLines(400);
      const [big, longestRendered] = await Promise.all([pool.render(invoice, totals), pool.render(longestInvoice(), sampleTotals())]);
      expect(Buffer.from(big.subarray(0, 5)).toString()).toBe('%PDF-');
      longestPdf = longestRendered;
    });
    expect((await readPdfText(longestPdf!)).pages.length).toBeGreaterThan(1);
    // Rendering in-process blocks the loop for the whole render; on the pool the loop keeps ticking.
    expect(longestGap).toBeLessThan(500);
  });

  it('gives the same bytes as rendering in-process', async () => {
    expect(Buffer.from(await pool.render(sampleInvoice(), sampleTotals())).equals(Buffer.from(await renderInvoicePdf(sampleInvoice(), sampleTotals())))).toBe(true);
  });
});

describe('the render budget', () => {
  it('fails a render over its budget with PdfRenderBudgetExceeded, and the pool renders the next one', async () => {
    const tight = startPdfRenderPool({ workers: 1, budgetMs: 1 });
    try {
      const { invoice, totals } = manyLines(2000);
      await expect(tight.render(invoice, totals)).rejects.toBeInstanceOf(PdfRenderBudgetExceeded);
    } finally {
      await tight.close();
    }
    const pdf = await pool.render(sampleInvoice(), sampleTotals());
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
  });

  it('passes a renderer error through as an error of that render only', async () => {
    await expect(pool.render({ ...sampleInvoice(), issueDate: '01.02.2026' }, sampleTotals())).rejects.toThrow(/./);
    expect((await pool.render(sampleInvoice(), sampleTotals())).length).toBeGreaterThan(1000);
  });
});
