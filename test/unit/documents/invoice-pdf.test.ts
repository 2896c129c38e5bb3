import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../../documents/invoice-pdf.js';
import { PAYMENT_SLIP_HEIGHT } from '../../../documents/payment-slip.js';
import { readPdfText, type PdfTextRun } from '../../../documents/pdf-text.js';
import { manyLines, sampleCreditNote, sampleInvoice, sampleTotals } from './sample-invoice.js';

/** Everything below this baseline on the slip's page belongs to the slip (slip bottom 30 pt + its height). */
const SLIP_TOP = 30 + PAYMENT_SLIP_HEIGHT;

const runsOn = (runs: PdfTextRun[], page: number) => runs.filter((r) => r.page === page);
const slipRuns = (runs: PdfTextRun[], page: number) => runsOn(runs, page).filter((r) => r.y < SLIP_TOP);

describe('renderInvoicePdf: invoice', () => {
  it('shows the seller particulars, buyer, references, lines, VAT breakdown and totals in Norwegian format', async () => {
    const pdf = await renderInvoicePdf(sampleInvoice(), sampleTotals(), { issuedBy: 'Ola Ås' });
    const { pages } = await readPdfText(pdf);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    for (const expected of [
      'FAKTURA',
      'Fjordkraft Rørlegger AS',
      'Strandgaten 12',
      '5013 Bergen',
      'Org.nr. 123 456 785 MVA', // bokføringsforskriften § 5-1-1: org number followed by MVA
      'Foretaksregisteret', // NO-R-002, foretaksregisterloven § 10-2
      'Blåbær Økologiske Gårdsbutikk AS',
      'Ærfuglveien 7',
      '0150 Oslo',
      'Fakturanr. 2026-0042',
      'Fakturadato 01.02.2026',
      'Forfallsdato 15.02.2026',
      'Kundenr. 10042',
      'Deres referanse Kari Nordmann',
      'Vår referanse Ola Ås',
      'Utskifting av varmtvannsbereder 200 l 1 stk 12 490,00 25 % 12 490,00',
      'Arbeid rørlegger 3,5 t 895,00 25 % 3 132,50',
      'Kaffe og wienerbrød til montørene 2 stk 45,00 15 % 90,00',
      '25 % 15 811,50 3 952,88',
      '15 % 90,00 13,50',
      'Sum eks. mva 15 901,50',
      'Å betale NOK 19 867,88',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('has a payment slip with KID, account 4.2.5, amount, due date, payer and payee at the bottom of the page', async () => {
    const pdf = await renderInvoicePdf(sampleInvoice(), sampleTotals());
    const { runs } = await readPdfText(pdf);
    const slip = slipRuns(runs, 1).map((r) => r.text);
    expect(slip).toEqual(expect.arrayContaining([
      'GIRO',
      'Kundeidentifikasjon (KID)',
      '123450006788',
      'Til konto',
      '8601.11.17947',
      'Kroner',
      '19 867',
      '88',
      '19 867,88',
      'Betalingsfrist 15.02.2026',
      'Betalt av',
      'Blåbær Økologiske Gårdsbutikk AS',
      'Betalt til',
      'Fjordkraft Rørlegger AS',
    ]));
    // Nothing else of the invoice runs into the slip area: terms, totals and lines stay above it.
    const above = runsOn(runs, 1).filter((r) => r.y > SLIP_TOP).map((r) => r.text);
    expect(above).toEqual(expect.arrayContaining(['Betalingsbetingelser', 'Sum eks. mva', 'Arbeid rørlegger']));
  });

  it('asks for the invoice number as message when there is no KID', async () => {
    const invoice = sampleInvoice();
    delete invoice.payment!.kid;
    const { runs } = await readPdfText(await renderInvoicePdf(invoice, sampleTotals()));
    const slip = slipRuns(runs, 1).map((r) => r.text).join('\n');
    expect(slip).toContain('Oppgi fakturanummer 2026-0042 som melding');
    expect(slip).toContain('8601.11.17947');
  });

  it('has no payment slip when there is no account to pay to', async () => {
    const invoice = sampleInvoice();
    invoice.payment = { terms: 'Betales kontant' };
    const { pages } = await readPdfText(await renderInvoicePdf(invoice, sampleTotals()));
    expect(pages[0]).not.toContain('GIRO');
    expect(pages[0]).toContain('Å betale NOK 19 867,88');
  });

  it('sets the metadata: title = invoice number, producer fakturaflyt, dates from the issue date', async () => {
    const doc = await PDFDocument.load(await renderInvoicePdf(sampleInvoice(), sampleTotals()), { updateMetadata: false });
    expect(doc.getTitle()).toBe('2026-0042');
    expect(doc.getProducer()).toBe('fakturaflyt');
    expect(doc.getCreator()).toBe('fakturaflyt');
    expect(doc.getAuthor()).toBe('Fjordkraft Rørlegger AS');
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(doc.getModificationDate()?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    const first = await renderInvoicePdf(sampleInvoice(), sampleTotals(), { issuedBy: 'Ola Ås' });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a clock-stamped PDF would differ by now
    const second = await renderInvoicePdf(sampleInvoice(), sampleTotals(), { issuedBy: 'Ola Ås' });
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    const other = await renderInvoicePdf({ ...sampleInvoice(), issueDate: '2026-02-02' }, sampleTotals(), { issuedBy: 'Ola Ås' });
    expect(Buffer.from(other).equals(Buffer.from(first))).toBe(false);
  });

  it('rejects an issue date it cannot turn into a fixed timestamp', async () => {
    await expect(renderInvoicePdf({ ...sampleInvoice(), issueDate: '01.02.2026' }, sampleTotals())).rejects.toThrow(RangeError);
  });
});

describe('renderInvoicePdf: many lines', () => {
  it('breaks 200 lines over several pages, repeats the table header, and puts the slip on the last page only', async () => {
    const { invoice, totals } = manyLines(200);
    const { pages, runs } = await readPdfText(await renderInvoicePdf(invoice, totals));
    expect(pages.length).toBeGreaterThan(3);
    const last = pages.length;

    pages.forEach((page, i) => expect(page).toContain(`Side ${i + 1} av ${last}`));
    // Every line exactly once, in order.
    const lineNumbers = runs.map((r) => /^Abonnement linje (\d+)/.exec(r.text)?.[1]).filter(Boolean).map(Number);
    expect(lineNumbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Every page carrying lines has the header; continuation pages name the invoice.
    for (let p = 1; p <= last; p++) {
      const texts = runsOn(runs, p).map((r) => r.text);
      if (texts.some((t) => t.startsWith('Abonnement linje'))) expect(texts).toContain('Beskrivelse');
      if (p > 1) expect(texts).toContain('Faktura 2026-0042');
    }
    // The slip: only on the last page, which also holds the totals above it.
    for (let p = 1; p < last; p++) expect(runsOn(runs, p).map((r) => r.text)).not.toContain('GIRO');
    expect(slipRuns(runs, last).map((r) => r.text)).toEqual(expect.arrayContaining(['GIRO', '123450006788', '8601.11.17947', '25 000']));
    expect(pages[last - 1]).toContain('Å betale NOK 25 000,00');
    expect(slipRuns(runs, last).map((r) => r.text).filter((t) => /^(Abonnement|Sum |Netto|Betalingsbetingelser)/.test(t))).toEqual([]);
    // No line is drawn off the page or under the bottom margin.
    expect(Math.min(...runs.map((r) => r.y))).toBeGreaterThan(30);
  });
});

describe('renderInvoicePdf: credit note', () => {
  it('is titled Kreditnota, refers to the credited invoice, and has no KID or payment slip', async () => {
    const { invoice, totals } = sampleCreditNote();
    invoice.payment = { kid: '123450006788', account: '86011117947' }; // even when the ERP sends them
    const pdf = await renderInvoicePdf(invoice, totals);
    const { pages } = await readPdfText(pdf);
    const text = pages.join('\n');
    expect(text).toContain('KREDITNOTA');
    expect(text).toContain('Kreditnotanr. K-2026-0007');
    expect(text).toContain('Gjelder faktura 2026-0042');
    expect(text).toContain('Kreditnota for faktura 2026-0042 datert 01.02.2026.');
    expect(text).toContain('Til gode NOK 2 237,50');
    expect(text).not.toContain('GIRO');
    expect(text).not.toContain('Kundeidentifikasjon');
    expect(text).not.toContain('123450006788');
    expect(text).not.toContain('Å betale');
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getTitle()).toBe('K-2026-0007');
  });
});

describe('renderInvoicePdf: text outside WinAnsi', () => {
  it('replaces characters the standard fonts cannot encode instead of failing', async () => {
    const invoice = sampleInvoice();
    invoice.buyer.name = 'Łukasz Żółć 😀 Áŋŋe Čáhcegáddi';
    invoice.lines[0]!.description = 'Varmtvannsbereder → 200 l ≥ 3 kW\u2009– “Premium” € ™';
    const { pages } = await readPdfText(await renderInvoicePdf(invoice, sampleTotals()));
    expect(pages[0]).toContain('Lukasz Zólc ? Ánne Cáhcegáddi');
    expect(pages[0]).toContain('Varmtvannsbereder -> 200 l >= 3 kW – “Premium” € ™');
  });
});

describe('renderInvoicePdf: resources', () => {
  it('names each of its three fonts once per page, however much text the page holds', async () => {
    const { invoice, totals } = manyLines(60);
    const pdf = await PDFDocument.load(await renderInvoicePdf(invoice, totals));
    expect(pdf.getPageCount()).toBeGreaterThan(1);
    for (const page of pdf.getPages()) {
      const fonts = page.node.Resources()?.lookup(PDFName.of('Font'), PDFDict);
      // pdf-lib's drawText({ font }) gave a page a new name per call: hundreds for a page of lines.
      expect(fonts?.keys().length).toBeGreaterThan(0);
      expect(fonts?.keys().length).toBeLessThanOrEqual(3);
    }
  });
});
