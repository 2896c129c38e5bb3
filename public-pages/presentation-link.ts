/**
 * The invoice presentation an eFaktura claim points to: our signed link to the invoice PDF in the archive. The
 * online bank shows the claim and opens the link; the eFaktura rules ask that it keeps working for 16 months
 * (efaktura.no/developer/efaktura-how-does-it-work), so it expires PRESENTATION_LINK_MONTHS after it is made.
 */
import { PRESENTATION_LINK_MONTHS, type SignedLinks } from './signed-link.js';

export const PRESENTATION_PATH = '/faktura/';

export function presentationLink(links: SignedLinks, publicBaseUrl: string, invoiceId: string, now = new Date()): string {
  const expiresAt = new Date(now);
  expiresAt.setUTCMonth(expiresAt.getUTCMonth() + PRESENTATION_LINK_MONTHS);
  const token = links.sign({ purpose: 'presentation', subject: invoiceId, expiresAt });
  return `${publicBaseUrl.replace(/\/+$/, '')}${PRESENTATION_PATH}${token}`;
}

/** The invoice id a presentation token opens, or undefined for a changed, expired or foreign token. */
export function presentedInvoice(links: SignedLinks, token: string, now = new Date()): string | undefined {
  return links.verify(token, 'presentation', now)?.subject;
}
