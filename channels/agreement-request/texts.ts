/**
 * The agreement request as the consumer reads it: Norwegian bokmål, short, naming the supplier, with one link, to
 * our agreement page (the only URL in the text, so a reader can tell it from phishing that sends them elsewhere).
 * Visma AutoInvoice sends the same request by SMS or e-mail (DOMAIN.md §6); without an answer the invoice comes by
 * e-mail or post as before, which the text says so nobody feels pressed.
 */
import { esc, type MailContent } from '../email-message.js';

/** One SMS part where it fits: GSM 03.38 letters only (æøå are in it), no other URL than the page. */
export function agreementSms(supplierName: string, link: string): string {
  return `${supplierName} vil sende deg eFaktura i nettbanken. Svar ja eller nei her: ${link}`;
}

export function agreementMail(supplierName: string, consumerName: string | undefined, link: string, fromAddress: string, replyTo?: string): MailContent {
  const subject = `${supplierName} vil sende deg eFaktura`;
  const greeting = consumerName ? `Hei ${consumerName},` : 'Hei,';
  const ask = `${supplierName} vil sende fakturaene sine til deg som eFaktura i nettbanken din.`;
  const act = 'Svar ja eller nei her:';
  const fallback = 'Svarer du ikke, får du fakturaen på e-post eller i posten som før.';
  const text = [greeting, '', ask, '', act, link, '', fallback, '', 'Med vennlig hilsen', supplierName, ''].join('\n');
  const html = [
    `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>${esc(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.4">',
    `<p>${esc(greeting)}</p>`,
    `<p>${esc(ask)}</p>`,
    `<p>${esc(act)}<br><a href="${esc(link)}">${esc(link)}</a></p>`,
    `<p>${esc(fallback)}</p>`,
    `<p>Med vennlig hilsen<br>${esc(supplierName)}</p>`,
    '</body></html>',
  ].join('\n');
  return { from: { name: supplierName, address: fromAddress }, replyTo, subject, text, html };
}
