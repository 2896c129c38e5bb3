/**
 * What the invoice e-mail says, as a person reads it: from the supplier (by name, at our sending address, so SPF
 * and DKIM of our domain hold; replies go to the supplier), in Norwegian, with amounts and dates written as on the
 * PDF (documents/norwegian-format.ts: `1 250,00`, `20.12.2026`). Pure: the channel adds the attachments and sends.
 */
import { formatAccountNumber, formatAmount, formatDate, formatIban } from '../documents/norwegian-format.js';
import type { Invoice, Totals } from '../invoice/model.js';

export interface MailContent {
  from: { name: string; address: string };
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
}

/** The address part of MAIL_FROM (`fakturaflyt <faktura@example.no>` → `faktura@example.no`). */
export function senderAddress(mailFrom: string): string {
  const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(mailFrom);
  return (angle ? angle[1]! : mailFrom).trim();
}

export function invoiceMail(invoice: Invoice, totals: Totals, fromAddress: string): MailContent {
  const credit = invoice.documentType === 'creditNote';
  const title = credit ? 'Kreditnota' : 'Faktura';
  const supplier = invoice.supplier.name;
  const replyTo = invoice.supplier.contact?.email;
  const amount = `${formatAmount(totals.payableAmount)} ${invoice.currency}`;
  const account = invoice.payment?.account ? formatAccountNumber(invoice.payment.account) : invoice.payment?.iban ? formatIban(invoice.payment.iban) : undefined;
  const facts: [string, string][] = credit
    ? [['Beløp', amount], ['Dato', formatDate(invoice.issueDate)]]
    : [
        ['Å betale', amount],
        ...(invoice.dueDate ? [['Forfallsdato', formatDate(invoice.dueDate)] as [string, string]] : []),
        ...(account ? [['Kontonummer', account] as [string, string]] : []),
        // A KID is never put on a credit note (DOMAIN.md §1.4).
        ...(invoice.payment?.kid ? [['KID', invoice.payment.kid] as [string, string]] : []),
      ];
  const greeting = invoice.buyer.name ? `Hei ${invoice.buyer.name},` : 'Hei,';
  const intro = `Vedlagt er ${title.toLowerCase()} ${invoice.invoiceNumber} fra ${supplier}.`;
  const attached = 'Dokumentet er vedlagt som PDF, og som EHF (XML) for regnskapsprogram.';
  const reply = replyTo ? `Spørsmål? Svar på denne e-posten, så når svaret ${supplier}.` : undefined;
  const width = Math.max(...facts.map(([k]) => k.length)) + 2;
  const text = [
    greeting,
    '',
    intro,
    '',
    ...facts.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`),
    '',
    attached,
    ...(reply ? [reply] : []),
    '',
    'Med vennlig hilsen',
    supplier,
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>' + esc(`${title} ${invoice.invoiceNumber}`) + '</title></head>',
    '<body style="font-family: sans-serif; line-height: 1.4">',
    `<p>${esc(greeting)}</p>`,
    `<p>${esc(intro)}</p>`,
    '<table role="presentation" style="border-collapse: collapse">',
    ...facts.map(([k, v]) => `<tr><th scope="row" style="text-align: left; padding-right: 1em">${esc(k)}</th><td>${esc(v)}</td></tr>`),
    '</table>',
    `<p>${esc(attached)}</p>`,
    ...(reply ? [`<p>${esc(reply)}</p>`] : []),
    `<p>Med vennlig hilsen<br>${esc(supplier)}</p>`,
    '</body></html>',
  ].join('\n');
  return { from: { name: supplier, address: fromAddress }, replyTo, subject: `${title} ${invoice.invoiceNumber} fra ${supplier}`, text, html };
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
