/**
 * The invoice presentation an eFaktura claim links to: GET /faktura/{token} serves the invoice PDF from the
 * archive. The signed token is the authority (no API key: the consumer's bank opens it); a changed, expired or
 * foreign token gets the same 404 as an unknown invoice, so a caller learns nothing about which it was.
 * Personal documents: no shared cache may keep them (RFC 9111 §5.2.2.5 no-store), and no search engine list them.
 */
import { Router } from 'express';
import { getDocument } from '../../archive/documents.js';
import { presentedInvoice } from '../../public-pages/presentation-link.js';
import type { ApiDeps } from '../deps.js';

export function presentationRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/faktura/:token', async (req, res) => {
    res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-robots-tag': 'noindex, nofollow' });
    const invoiceId = deps.links ? presentedInvoice(deps.links, req.params.token) : undefined;
    const pdf = invoiceId ? await getDocument(deps.db, invoiceId, 'pdf') : undefined;
    if (!pdf) {
      res.status(404).json({ error: 'not_found', message: 'this link does not open an invoice' });
      return;
    }
    res.set({ 'content-disposition': 'inline; filename="faktura.pdf"', 'x-content-type-options': 'nosniff' });
    res.type('application/pdf').send(pdf.content);
  });

  return router;
}
