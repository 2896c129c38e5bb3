/** What a person reads: the invoice e-mail, the agreement SMS and e-mail, the agreement page. */
import { describe, expect, it } from 'vitest';
import { agreementMail, agreementSms } from '../../../channels/agreement-request/texts.js';
import { invoiceMail, senderAddress } from '../../../channels/email-message.js';
import { agreementPageHtml } from '../../../public-pages/agreement-page-html.js';
import { sampleCreditNote, sampleInvoice, sampleTotals } from '../documents/sample-invoice.js';

const LINK = 'https://faktura.example.no/avtale/eyJwIjoiYWdyZWVtZW50In0.abc';
const urls = (s: string) => s.match(/https?:\/\/[^\s"<>]+/g) ?? [];

describe('the invoice e-mail', () => {
  it('comes from the supplier by name at our address, replies go to the supplier, amounts and dates as on the PDF', () => {
    const mail = invoiceMail(sampleInvoice(), sampleTotals(), 'faktura@fakturaflyt.example');
    expect(mail.from).toEqual({ name: 'Fjordkraft Rørlegger AS', address: 'faktura@fakturaflyt.example' });
    expect(mail.replyTo).toBe('faktura@fjordkraft-ror.no');
    expect(mail.subject).toBe('Faktura 2026-0042 fra Fjordkraft Rørlegger AS');
    expect(mail.text).toContain('Å betale:     19 867,88 NOK');
    expect(mail.text).toContain('Forfallsdato: 15.02.2026');
    expect(mail.text).toContain('Kontonummer:  8601.11.17947');
    expect(mail.text).toContain('KID:          123450006788');
    expect(mail.text).not.toMatch(/19867\.88|2026-02-15/);
    expect(mail.html).toContain('<td>19 867,88 NOK</td>');
    expect(mail.html).toContain('<td>15.02.2026</td>');
    expect(mail.html).toContain('Fjordkraft Rørlegger AS');
  });

  it('escapes what the ERP sent in the HTML part', () => {
    const invoice = sampleInvoice();
    invoice.supplier.name = 'Bolt & <Mutter> AS';
    const mail = invoiceMail(invoice, sampleTotals(), 'a@b.no');
    expect(mail.html).toContain('Bolt &amp; &lt;Mutter&gt; AS');
    expect(mail.html).not.toContain('<Mutter>');
  });

  it('a credit note has no KID and no due date, and says so in its title', () => {
    const { invoice, totals } = sampleCreditNote();
    const mail = invoiceMail(invoice, totals, 'a@b.no');
    expect(mail.subject).toMatch(/^Kreditnota /);
    expect(mail.text).not.toMatch(/KID|Forfallsdato/);
  });

  it('takes the address out of MAIL_FROM', () => {
    expect(senderAddress('fakturaflyt <faktura@fakturaflyt.example>')).toBe('faktura@fakturaflyt.example');
    expect(senderAddress('faktura@fakturaflyt.example')).toBe('faktura@fakturaflyt.example');
  });
});

describe('the agreement request', () => {
  it('SMS: short bokmål naming the supplier, the page link its only URL', () => {
    const sms = agreementSms('Fjordvarme AS', LINK);
    expect(sms).toMatch(/^Fjordvarme AS vil sende deg eFaktura/);
    expect(urls(sms)).toEqual([LINK]);
    expect(sms.length - LINK.length).toBeLessThan(100);
  });

  it('e-mail: from the supplier, text and HTML with the page link as the only URL', () => {
    const mail = agreementMail('Fjordvarme AS', 'Kari Nordmann', LINK, 'faktura@fakturaflyt.example');
    expect(mail.from.name).toBe('Fjordvarme AS');
    expect(mail.subject).toBe('Fjordvarme AS vil sende deg eFaktura');
    expect(mail.text).toContain('Hei Kari Nordmann,');
    expect(new Set(urls(mail.text))).toEqual(new Set([LINK]));
    expect(new Set(urls(mail.html))).toEqual(new Set([LINK]));
  });
});

describe('the agreement page', () => {
  it('asks with a form of two labelled buttons, in bokmål, with no external asset', () => {
    const html = agreementPageHtml({ kind: 'ask', supplierName: 'Fjordvarme AS' });
    expect(html).toContain('<html lang="nb">');
    expect(html).toContain('<form method="post">');
    expect(html).toContain('name="decision" value="accepted"');
    expect(html).toContain('name="decision" value="rejected"');
    expect(urls(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<link|<img/);
  });

  it('tells a person what a changed or expired link means', () => {
    expect(agreementPageHtml({ kind: 'expired' })).toContain('Lenken er utløpt');
    expect(agreementPageHtml({ kind: 'invalid' })).toContain('Lenken virker ikke');
  });
});
