/**
 * eFaktura agreement decisions. An agreement is between a supplier (one branch or all) and a consumer, not an
 * invoice: a decision is recorded for them and reaches every invoice of that consumer that waits for it. A decision for an
 * invoice that no longer waits gets an honest answer (what happened instead), not silence.
 */
import { Router } from 'express';
import { agreementBranch, ALL_BRANCHES, recordAgreementDecision } from '../../archive/agreements.js';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { getInvoice } from '../../archive/invoices.js';
import { decideAgreementUpdate, stateQuery, type AgreementDecision } from '../../workflows/definitions.js';
import { decideAgreement } from '../agreement-decision.js';
import type { ApiDeps } from '../deps.js';
import { allow } from '../auth.js';
import { HttpError } from '../problem.js';
import { checkCustomerNumber } from '../request-guards.js';

export function agreementRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, temporal } = deps;

  // The consumer's consent comes from the eFaktura provider's callback (CALLBACK_SECRET) or support (DESIGN.md), not
  // from the supplier's ERP: an accepted agreement lets a claim go to the consumer's bank.
  router.post('/v1/agreements', allow(deps, 'callback', 'support', 'admin'), async (req, res) => {
    const { supplierOrg, customerNumber, status, branch = ALL_BRANCHES } = req.body ?? {};
    if (typeof supplierOrg !== 'string' || !/^\d{9}$/.test(supplierOrg)) throw new HttpError(400, 'bad_request', 'supplierOrg must be a 9-digit organisation number');
    if (typeof customerNumber !== 'string' || customerNumber === '') throw new HttpError(400, 'bad_request', 'customerNumber is required');
    checkCustomerNumber(customerNumber, '/customerNumber');
    if (typeof branch !== 'string' || branch.length > 100) throw new HttpError(400, 'bad_request', 'branch must be a string of at most 100 characters ("*" or absent: all branches)');
    const decision = decisionOf(status);
    const reached = await decideAgreement(deps, { supplierOrg, branch, customerNumber }, decision, 'api');
    res.json({ supplierOrg, branch, customerNumber, status: decision, invoicesReached: reached });
  });

  router.post('/v1/invoices/:id/agreement', allow(deps, 'support', 'admin'), async (req, res) => {
    const record = await getInvoice(db, req.params.id);
    if (!record) throw new HttpError(404, 'not_found', `no invoice ${req.params.id}`);
    if (record.customerKind !== 'consumer' || !record.customerNumber) throw new HttpError(409, 'not_a_consumer_invoice', 'eFaktura agreements apply to consumer invoices with a customer number');
    const decision = decisionOf(req.body?.status);
    await recordAgreementDecision(db, record.supplierOrg, agreementBranch(deps.agreementScope ?? 'all', record.branch), record.customerNumber, decision, 'support');
    const handle = temporal.workflow.getHandle(record.id);
    try {
      // An update, not a signal: the workflow itself says whether it still waits, so the answer is never a guess.
      await handle.executeUpdate(decideAgreementUpdate, { args: [{ status: decision, source: 'support' }] });
    } catch (err) {
      if (!(err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError)) throw err;
      const now = await handle.query(stateQuery).catch(() => ({ status: record.status, channel: record.channel ?? undefined }));
      const outcome = now.channel ? `was already delivered by ${now.channel}` : `is ${now.status}`;
      throw new HttpError(409, 'not_awaiting_agreement', `invoice ${record.id} ${outcome}; the ${decision} agreement is recorded and applies to the next invoices`);
    }
    res.status(202).json({ id: record.id, status: decision, message: decision === 'accepted' ? 'the invoice goes by eFaktura' : 'the invoice falls back to the next channel' });
  });

  return router;
}

function decisionOf(status: unknown): AgreementDecision {
  if (status !== 'accepted' && status !== 'rejected') throw new HttpError(400, 'bad_request', 'status must be "accepted" or "rejected"');
  return status;
}
