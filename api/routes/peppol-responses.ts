/**
 * POST /v1/peppol/responses: what an adapter or an inbound access point forwards about our Peppol transmissions —
 * our JSON `{sbdhInstanceId, kind, code, reason?, at?}`, or the UBL ApplicationResponse itself (MLR or Invoice
 * Response). Authenticated by CALLBACK_SECRET. Recorded once (a repeat answers `recorded: false`), shown on
 * GET /v1/invoices/{id} and in its history; it never changes the invoice's delivery: a later RE is for support to
 * act on (issue 10 item 4). Polling the access point's status endpoint stays the primary path for MLS.
 */
import express, { Router } from 'express';
import { findPeppolInvoicesByNumber, findTransmission, findTransmissionOfInvoice, recordPeppolResponse, RESPONSE_CODES, type ResponseKind } from '../../archive/peppol-responses.js';
import { ApplicationResponseError, parseApplicationResponse } from '../../channels/peppol/application-response.js';
import type { ValidationIssue } from '../../validation/issue.js';
import { allow } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { HttpError, XML_TYPES } from '../problem.js';

const KINDS = Object.keys(RESPONSE_CODES) as ResponseKind[];
// BIS 63a: UQ, CA and RE must say why (docs.peppol.eu/poacc/upgrade-3/2022-Q4/rules/T111).
const REASON_REQUIRED = ['UQ', 'CA', 'RE'];

interface ResponseInput {
  kind: ResponseKind;
  code: string;
  reason?: string;
  at?: string;
}

export function peppolResponseRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  router.post('/v1/peppol/responses', allow(deps, 'callback'), express.text({ type: XML_TYPES, limit: '1mb' }), async (req, res) => {
    let input: ResponseInput;
    let sbdhInstanceId: string;
    let invoiceId: string;
    if (req.is(XML_TYPES)) {
      let parsed;
      try {
        parsed = parseApplicationResponse(typeof req.body === 'string' ? req.body : '');
      } catch (err) {
        if (err instanceof ApplicationResponseError) throw new HttpError(422, 'invalid_response', 'the ApplicationResponse cannot be read', err.issues);
        throw err;
      }
      input = { kind: parsed.kind, code: parsed.code, reason: parsed.reason, at: parsed.at };
      check(input);
      // An MLR references our SBDH instance id; an Invoice Response references the invoice by its number.
      const direct = await findTransmission(db, parsed.documentReference);
      if (direct) {
        ({ sbdhInstanceId, invoiceId } = direct);
      } else if (parsed.kind === 'invoice_response') {
        const supplierOrg = parsed.receiver?.startsWith('0192:') ? parsed.receiver.slice(5) : undefined;
        const ids = await findPeppolInvoicesByNumber(db, { invoiceNumber: parsed.documentReference, supplierOrg, documentType: parsed.documentType });
        if (ids.length === 0) throw new HttpError(404, 'unknown_document', `no invoice ${parsed.documentReference} was sent over Peppol`);
        if (ids.length > 1) throw new HttpError(409, 'ambiguous_document', `invoice number ${parsed.documentReference} was sent by more than one supplier; give cac:ReceiverParty/cbc:EndpointID`);
        const transmission = await findTransmissionOfInvoice(db, ids[0]!);
        ({ sbdhInstanceId, invoiceId } = transmission!);
      } else {
        throw new HttpError(404, 'unknown_transmission', `no Peppol transmission ${parsed.documentReference}`);
      }
    } else {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (typeof body !== 'object' || Array.isArray(body)) throw invalid([issue('FF-PEPPOL-RESPONSE-BODY', 'send a JSON object or a UBL ApplicationResponse', '/')]);
      const issues: ValidationIssue[] = [];
      if (typeof body.sbdhInstanceId !== 'string' || body.sbdhInstanceId === '') issues.push(issue('FF-PEPPOL-RESPONSE-SBDH', 'sbdhInstanceId is required', '/sbdhInstanceId'));
      if (!KINDS.includes(body.kind as ResponseKind)) issues.push(issue('FF-PEPPOL-RESPONSE-KIND', `kind must be one of ${KINDS.join(', ')}`, '/kind'));
      if (typeof body.code !== 'string') issues.push(issue('FF-PEPPOL-RESPONSE-CODE', 'code is required', '/code'));
      if (body.reason !== undefined && body.reason !== null && (typeof body.reason !== 'string' || body.reason.length > 500)) {
        issues.push(issue('FF-PEPPOL-RESPONSE-REASON', 'reason must be a text of at most 500 characters', '/reason'));
      }
      if (body.at !== undefined && (typeof body.at !== 'string' || Number.isNaN(Date.parse(body.at)) || !/^\d{4}-\d{2}-\d{2}T/.test(body.at))) {
        issues.push(issue('FF-PEPPOL-RESPONSE-AT', 'at must be an ISO 8601 date-time', '/at'));
      }
      if (issues.length) throw invalid(issues);
      input = { kind: body.kind as ResponseKind, code: body.code as string, reason: (body.reason as string | undefined) ?? undefined, at: body.at as string | undefined };
      check(input);
      const transmission = await findTransmission(db, body.sbdhInstanceId as string);
      if (!transmission) throw new HttpError(404, 'unknown_transmission', `no Peppol transmission ${String(body.sbdhInstanceId)}`);
      ({ sbdhInstanceId, invoiceId } = transmission);
    }
    const { recorded } = await recordPeppolResponse(db, { invoiceId, sbdhInstanceId, ...input, source: 'callback' });
    res.status(recorded ? 201 : 200).json({ invoiceId, sbdhInstanceId, kind: input.kind, code: input.code, recorded });
  });

  return router;
}

function check(input: ResponseInput): void {
  const issues: ValidationIssue[] = [];
  if (!RESPONSE_CODES[input.kind].includes(input.code)) {
    issues.push(issue('FF-PEPPOL-RESPONSE-CODE', `a ${input.kind} code is one of ${RESPONSE_CODES[input.kind].join(', ')}`, '/code'));
  } else if (input.kind === 'invoice_response' && REASON_REQUIRED.includes(input.code) && !input.reason?.trim()) {
    issues.push(issue('FF-PEPPOL-RESPONSE-REASON', `an Invoice Response ${input.code} needs a reason (BIS 63a)`, '/reason'));
  }
  if (issues.length) throw invalid(issues);
}

function invalid(issues: ValidationIssue[]): HttpError {
  return new HttpError(422, 'invalid_response', `${issues.length} problem(s) with the response`, issues);
}

function issue(rule: string, message: string, path: string): ValidationIssue {
  return { rule, severity: 'fatal', message, path };
}
