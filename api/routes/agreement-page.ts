/**
 * The agreement page under PUBLIC_BASE_URL: `GET /avtale/{token}` asks, `POST /avtale/{token}` records the answer
 * and reaches the waiting invoices the way POST /v1/agreements does (api/agreement-decision.ts). No API key: the
 * signed token (public-pages/signed-link.ts, purpose `agreement`, subject = the invoice whose request it answers)
 * is the only authority. A changed link is 404, an expired one 410, each with a page a person understands.
 */
import express, { Router, type Response } from 'express';
import { agreementBranch, getAgreement } from '../../archive/agreements.js';
import { findDelivery } from '../../archive/deliveries.js';
import { getDocument } from '../../archive/documents.js';
import { getInvoice, type InvoiceRecord } from '../../archive/invoices.js';
import { AGREEMENT_PAGE_PATH, agreementRequestKey } from '../../channels/agreement-request/requester.js';
import { formatOrgNumber } from '../../documents/norwegian-format.js';
import { agreementPageHtml, type AgreementPageState } from '../../public-pages/agreement-page-html.js';
import { archivedSubmission, parseSubmission } from '../../validation/submission.js';
import { decideAgreement } from '../agreement-decision.js';
import type { ApiDeps } from '../deps.js';

export function agreementPageRoutes(deps: ApiDeps): Router {
  const router = Router();
  // The form posts two fields; anything bigger is not an answer.
  const form = express.urlencoded({ extended: false, limit: '1kb', parameterLimit: 5 });

  router.get(`${AGREEMENT_PAGE_PATH}/:token`, async (req, res) => {
    const found = await requestOf(req.params.token, res);
    if (!found) return;
    const current = await getAgreement(deps.db, found.record.supplierOrg, found.branch, found.record.customerNumber ?? '');
    page(res, 200, { kind: 'ask', supplierName: found.supplierName, current: current?.status === 'requested' ? undefined : current?.status });
  });

  router.post(`${AGREEMENT_PAGE_PATH}/:token`, form, async (req, res) => {
    const found = await requestOf(req.params.token, res);
    if (!found) return;
    const decision = (req.body as Record<string, unknown> | undefined)?.decision;
    if (decision !== 'accepted' && decision !== 'rejected') return page(res, 400, { kind: 'bad-answer' });
    const { record, branch } = found;
    await decideAgreement(deps, { supplierOrg: record.supplierOrg, branch, customerNumber: record.customerNumber ?? '' }, decision, 'agreement-page');
    page(res, 200, { kind: 'answered', supplierName: found.supplierName, decision });
  });

  return router;

  /** The request a token answers, or the page saying why there is none (already sent). */
  async function requestOf(token: string, res: Response): Promise<{ record: InvoiceRecord; branch: string; supplierName: string } | undefined> {
    const claims = deps.links?.verify(token, 'agreement');
    if (!claims) {
      // A genuine token that only failed on time is expired; anything else was never ours.
      const genuine = deps.links?.verify(token, 'agreement', new Date(0));
      page(res, genuine ? 410 : 404, { kind: genuine ? 'expired' : 'invalid' });
      return undefined;
    }
    const record = await getInvoice(deps.db, claims.subject);
    if (!record || !record.customerNumber) {
      page(res, 404, { kind: 'invalid' });
      return undefined;
    }
    // The request's receipt says which branch it asked for and who asks. A consumer quick enough to answer before
    // that receipt is written gets the same from the configuration and the archived invoice.
    const request = await findDelivery(deps.db, agreementRequestKey(record.id));
    return {
      record,
      branch: request?.details.branch ?? agreementBranch(deps.agreementScope ?? 'all', record.branch),
      supplierName: request?.details.supplierName ?? (await archivedSupplierName(record)),
    };
  }

  async function archivedSupplierName(record: InvoiceRecord): Promise<string> {
    const source = await getDocument(deps.db, record.id, 'source');
    const parsed = source ? parseSubmission(archivedSubmission(source)) : undefined;
    return parsed?.invoice?.supplier.name ?? `organisasjonsnummer ${formatOrgNumber(record.supplierOrg)}`;
  }
}

function page(res: Response, status: number, state: AgreementPageState): void {
  res
    .status(status)
    .set({
      // Nothing but our own inline style; the form posts to us only; the token in the URL goes to no other site.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
    .type('text/html; charset=utf-8')
    .send(agreementPageHtml(state));
}
