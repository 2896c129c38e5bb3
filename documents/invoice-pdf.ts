/**
 * The invoice or credit note as a PDF: what a Norwegian business or consumer receives by e-mail or on paper
 * (DESIGN.md "Channels": email attachment and print). One A4 document with the seller's mandatory particulars
 * (bokføringsforskriften § 5-1-1: number, date, parties, org number followed by "MVA", "Foretaksregisteret"
 * for AS/ASA/NUF per foretaksregisterloven § 10-2), the lines, the VAT breakdown, the totals and, on invoices,
 * a payment slip with KID, account, amount and due date at the bottom of the last page.
 *
 * The output is deterministic: the same invoice gives the same bytes (dates in the metadata come from the
 * issue date, never the clock), so a resend delivers and archives an identical document with the same sha256.
 * Only standard fonts are used (nothing to embed or license); text outside WinAnsi is replaced, see winansi-text.ts.
 */
import { PDFDocument } from 'pdf-lib';
import type { Invoice, Party, Totals } from '../invoice/model.js';
import { drawLineTable } from './line-table.js';
import { formatAccountNumber, formatDate, formatIban, formatOrgNumber } from './norwegian-format.js';
import { FLOOR, LEFT, PAGE_HEIGHT, PageFlow, RIGHT, TOP } from './page-flow.js';
import { drawPaymentSlip, PAYMENT_SLIP_HEIGHT, paymentSlipFor } from './payment-slip.js';
import { addressLines } from './postal-address.js';
import { drawTotals } from './totals-block.js';
import { MUTED, Typesetter } from './typesetter.js';

export interface RenderInvoicePdfOptions {
  /** Who issued the document at the seller, printed as "Vår referanse" (falls back to the seller's contact name). */
  issuedBy?: string;
}

const PRODUCER = 'fakturaflyt';
/** The slip sits this far above the sheet's bottom edge: inside the non-printable margin of common office printers. */
const SLIP_BOTTOM = 30;
/** Content on the page that carries the slip must end above it. */
const SLIP_FLOOR = SLIP_BOTTOM + PAYMENT_SLIP_HEIGHT + 16;
const DETAILS_LABEL_X = 340;
const DETAILS_VALUE_X = 438;

export async function renderInvoicePdf(invoice: Invoice, totals: Totals, options: RenderInvoicePdfOptions = {}): Promise<Uint8Array> {
  const issued = metadataDate(invoice.issueDate);
  const isCredit = invoice.documentType === 'creditNote';
  const title = isCredit ? 'Kreditnota' : 'Faktura';

  // updateMetadata: false: pdf-lib would stamp the clock and its own creator; every Info field is set here instead.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(invoice.invoiceNumber);
  doc.setSubject(`${title} ${invoice.invoiceNumber} fra ${invoice.supplier.name}`);
  doc.setAuthor(invoice.supplier.name);
  doc.setCreator(PRODUCER);
  doc.setProducer(PRODUCER);
  doc.setLanguage('nb-NO');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);

  const ts = await Typesetter.forDocument(doc);
  const flow = new PageFlow(doc, ts, (f) => continuationHeader(f, `${title} ${invoice.invoiceNumber}`, invoice.supplier.name));

  drawFirstPageHeader(flow, invoice, title, options);
  drawLineTable(flow, invoice, totals);

  const slip = paymentSlipFor(invoice, totals);
  const floor = slip ? SLIP_FLOOR : FLOOR;
  drawTotals(flow, invoice, totals, floor);
  drawNotes(flow, invoice, floor);
  if (slip) drawPaymentSlip(flow.page, ts, slip, { left: LEFT, right: RIGHT, bottom: SLIP_BOTTOM });

  // Page numbers last, when the page count is known.
  flow.pages.forEach((page, i) => {
    ts.draw(page, `Side ${i + 1} av ${flow.pages.length}`, RIGHT, PAGE_HEIGHT - 28, { size: 7.5, color: MUTED, align: 'right' });
  });

  return doc.save();
}

/** Midnight UTC of the issue date: a fixed, meaningful timestamp instead of the clock, for byte-identical re-renders. */
function metadataDate(issueDate: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(issueDate) ? new Date(`${issueDate}T00:00:00Z`) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new RangeError(`issueDate must be an ISO date (YYYY-MM-DD), got "${issueDate}"`);
  return date;
}

function drawFirstPageHeader(flow: PageFlow, invoice: Invoice, title: string, options: RenderInvoicePdfOptions): void {
  const { page, ts } = flow;
  const isCredit = invoice.documentType === 'creditNote';

  // Seller (top left).
  let y = TOP;
  ts.draw(page, invoice.supplier.name, LEFT, y, { size: 14, style: 'bold', maxWidth: 270 });
  y -= 15;
  for (const line of sellerLines(invoice.supplier)) {
    ts.draw(page, line, LEFT, y, { size: 8.5, color: MUTED, maxWidth: 270 });
    y -= 10.5;
  }
  const sellerBottom = y;

  // Title and document particulars (right).
  ts.draw(page, title.toUpperCase(), RIGHT, TOP - 8, { size: 22, style: 'bold', align: 'right' });
  y = TOP - 36;
  for (const [label, value] of detailRows(invoice, options)) {
    ts.draw(page, label, DETAILS_LABEL_X, y, { size: 8.5, color: MUTED });
    ts.draw(page, value, DETAILS_VALUE_X, y, { size: 9, style: label === 'KID' ? 'bold' : 'regular', maxWidth: RIGHT - DETAILS_VALUE_X });
    y -= 13;
  }
  const detailsBottom = y;

  // Buyer (left, where a C5/E65 window envelope shows it: about 50 mm from the top edge).
  y = Math.min(PAGE_HEIGHT - 160, sellerBottom - 20);
  ts.draw(page, invoice.buyer.name, LEFT, y, { size: 11, style: 'bold', maxWidth: 260 });
  y -= 14;
  // Only the postal address: e-mail, phone and national id of a consumer are personal data the paper does not need.
  for (const line of addressLines(invoice.buyer.address)) {
    ts.draw(page, line, LEFT, y, { size: 10, maxWidth: 260 });
    y -= 13;
  }
  if (invoice.buyer.taxId && invoice.buyer.kind !== 'consumer') {
    y -= 3;
    ts.draw(page, `Org.nr. ${formatOrgNumber(invoice.buyer.taxId)}`, LEFT, y, { size: 8.5, color: MUTED });
    y -= 13;
  }
  const deliveryAddress = addressLines(invoice.delivery?.address);
  if (deliveryAddress.length > 0) {
    const to = [invoice.delivery?.partyName, ...deliveryAddress].filter(Boolean).join(', ');
    y -= 3;
    for (const line of ts.wrap(`Leveringsadresse: ${to}`, 8.5, 270)) {
      ts.draw(page, line, LEFT, y, { size: 8.5, color: MUTED });
      y -= 11;
    }
  }

  flow.y = Math.min(y, detailsBottom) - 22;

  // A credit note must refer to the invoice it corrects (bokføringsforskriften § 5-2-8).
  if (isCredit) {
    const refs = invoice.billingReferences ?? [];
    const text = refs.length > 0
      ? `Kreditnota for faktura ${refs.map((r) => (r.issueDate ? `${r.id} datert ${formatDate(r.issueDate)}` : r.id)).join(', ')}.`
      : 'Kreditnota.';
    for (const line of ts.wrap(text, 10, RIGHT - LEFT, 'bold')) {
      ts.draw(page, line, LEFT, flow.y, { size: 10, style: 'bold' });
      flow.y -= 14;
    }
    flow.y -= 8;
  }
}

function sellerLines(seller: Party): string[] {
  const lines: string[] = [];
  if (seller.legalName && seller.legalName !== seller.name) lines.push(seller.legalName);
  lines.push(...addressLines(seller.address));
  if (seller.contact?.phone) lines.push(`Tlf. ${seller.contact.phone}`);
  if (seller.contact?.email) lines.push(seller.contact.email);
  const norwegian = !seller.address?.country || seller.address.country.toUpperCase() === 'NO';
  if (seller.taxId) {
    // bokføringsforskriften § 5-1-1 nr. 4: a VAT-registered seller writes its org number followed by "MVA".
    const vatRegistered = seller.vatRegistered ?? norwegian;
    lines.push(`Org.nr. ${formatOrgNumber(seller.taxId)}${vatRegistered ? ' MVA' : ''}`);
  } else if (seller.vatId) {
    lines.push(`MVA-nr. ${seller.vatId}`);
  }
  if (seller.foretaksregisteret) lines.push('Foretaksregisteret');
  return lines;
}

function detailRows(invoice: Invoice, options: RenderInvoicePdfOptions): Array<[string, string]> {
  const isCredit = invoice.documentType === 'creditNote';
  const rows: Array<[string, string]> = [
    [isCredit ? 'Kreditnotanr.' : 'Fakturanr.', invoice.invoiceNumber],
    [isCredit ? 'Kreditnotadato' : 'Fakturadato', formatDate(invoice.issueDate)],
  ];
  if (isCredit) {
    for (const ref of invoice.billingReferences ?? []) rows.push(['Gjelder faktura', ref.id]);
  } else if (invoice.dueDate) {
    rows.push(['Forfallsdato', formatDate(invoice.dueDate)]);
  }
  const optional: Array<[string, string | undefined]> = [
    ['Kundenr.', invoice.buyer.customerNumber],
    ['Deres referanse', invoice.buyerReference],
    ['Vår referanse', options.issuedBy ?? invoice.supplier.contact?.name],
    ['Bestillingsnr.', invoice.orderReference],
    ['Kontrakt', invoice.contractReference],
    ['Prosjekt', invoice.projectReference],
    ['Leveringsdato', invoice.delivery?.date ? formatDate(invoice.delivery.date) : undefined],
    ['Periode', period(invoice.invoicePeriod)],
  ];
  for (const [label, value] of optional) if (value) rows.push([label, value]);
  // Payment particulars only on invoices: a credit note is not paid, and KID cannot be used on it (DOMAIN.md §1.4).
  if (!isCredit && invoice.payment) {
    if (invoice.payment.account) rows.push(['Kontonr.', formatAccountNumber(invoice.payment.account)]);
    if (invoice.payment.kid) rows.push(['KID', invoice.payment.kid]);
  }
  return rows;
}

function period(p: { start?: string; end?: string } | undefined): string | undefined {
  if (!p?.start && !p?.end) return undefined;
  return `${p.start ? formatDate(p.start) : ''}–${p.end ? formatDate(p.end) : ''}`;
}

/** Payment terms, foreign-payment details and free-text notes (BT-20, BT-22), flowing above the slip. */
function drawNotes(flow: PageFlow, invoice: Invoice, floor: number): void {
  const paragraphs: Array<{ heading?: string; text: string }> = [];
  const payment = invoice.payment;
  if (invoice.documentType !== 'creditNote' && payment) {
    if (payment.terms) paragraphs.push({ heading: 'Betalingsbetingelser', text: payment.terms });
    // Payers abroad cannot use a BBAN; IBAN and BIC let them pay.
    if (payment.iban) {
      paragraphs.push({ heading: 'Betaling fra utlandet', text: `IBAN ${formatIban(payment.iban)}${payment.bic ? `, BIC ${payment.bic}` : ''}` });
    }
  }
  for (const note of invoice.notes ?? []) paragraphs.push({ text: note });

  const { ts } = flow;
  for (const paragraph of paragraphs) {
    const lines = ts.wrap(paragraph.text, 8.5, RIGHT - LEFT);
    if (paragraph.heading) {
      flow.ensure(11 + Math.min(lines.length, 2) * 11, floor);
      ts.draw(flow.page, paragraph.heading, LEFT, flow.y, { size: 8.5, style: 'bold' });
      flow.y -= 11;
    }
    for (const line of lines) {
      flow.ensure(11, floor);
      ts.draw(flow.page, line, LEFT, flow.y, { size: 8.5 });
      flow.y -= 11;
    }
    flow.y -= 6;
  }
}

function continuationHeader(flow: PageFlow, heading: string, seller: string): number {
  const { page, ts } = flow;
  ts.draw(page, heading, LEFT, TOP, { size: 11, style: 'bold' });
  ts.draw(page, seller, RIGHT, TOP, { size: 9, color: MUTED, align: 'right', maxWidth: 240 });
  return TOP - 30;
}
