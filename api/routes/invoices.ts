/**
 * The ERP's contract (DESIGN.md "Contracts"): submit an invoice, follow it, fetch its documents and history.
 * Submission is idempotent by the natural key and by the Idempotency-Key header.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import express, { Router, type Request, type Response } from 'express';
import { listDeliveries } from '../../archive/deliveries.js';
import { listPeppolResponses, peppolStatuses } from '../../archive/peppol-responses.js';
import { getDocument, sha256Hex } from '../../archive/documents.js';
import { findByIdempotencyKey, getInvoice, insertInvoice, listEvents, searchInvoices, type InvoiceRecord } from '../../archive/invoices.js';
import { retainUntil } from '../../archive/retention.js';
import { naturalKey } from '../../invoice/natural-key.js';
import { validateSubmission, type Submission } from '../../validation/submission.js';
import { verdictBasis } from '../../validation/verdict-basis.js';
import { FINAL_STATUSES, stateQuery, type InvoiceState } from '../../workflows/definitions.js';
import { canonicalJson } from '../canonical-json.js';
import type { ApiDeps } from '../deps.js';
import { servableHistoryJson } from '../history-redaction.js';
import { historyTimeline, withArchivedStages, withPeppolResponses } from '../history-timeline.js';
import { decodedHistory } from '../../engine/history-payloads.js';
import { startLifecycle } from '../lifecycle-start.js';
import { allow, inScope, supplierScope } from '../auth.js';
import { HttpError, sendProblem, XML_TYPES } from '../problem.js';
import { idempotencyKeyOf, singleQuery, strictUtf8 } from '../request-guards.js';
import { checkTextLimits } from '../../invoice/text-limits.js';
import { checkXmlTextLimits } from '../../ehf/xml-text-limits.js';
import { refusedXml } from '../../ehf/xml-tree.js';
import { checkJsonShape } from '../../invoice/json-shape-limits.js';
import { checkSubmissionOffLoop, xmlWellFormed } from '../submission-checks.js';
import type { ValidationIssue } from '../../validation/issue.js';

/** How long `GET /v1/invoices/{id}` waits for the workflow's live details before it answers from the archive alone. */
export const LIVE_QUERY_TIMEOUT_MS = 1000;
const SEARCH_PARAMETERS = ['invoiceNumber', 'supplierOrg', 'buyerOrg', 'customerNumber', 'status', 'channel', 'limit'] as const;
const JSON_TYPES = ['application/json', 'application/*+json'];

export function invoiceRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, temporal } = deps;
  const readers = allow(deps, 'erp', 'support', 'ops', 'admin');

  router.post('/v1/invoices', allow(deps, 'erp', 'admin'), express.text({ type: [...XML_TYPES, ...JSON_TYPES], limit: deps.bodyLimit, verify: strictUtf8 }), async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    const { submission, sha256 } = await readSubmission(req);
    if (idempotencyKey) {
      const earlier = await findByIdempotencyKey(db, idempotencyKey, supplierScope(res));
      if (earlier) {
        if (earlier.sourceSha256 === sha256) await startLifecycle(db, temporal, deps.taskQueue, earlier, submission, { eager: deps.eagerStart });
        return answerExisting(res, earlier, sha256);
      }
    }
    const result = await validateSubmission(submission, deps.official, checkSubmissionOffLoop);
    if (!result.valid) return sendProblem(res, 422, 'invalid_invoice', `${result.issues.filter((i) => i.severity === 'fatal').length} rule(s) failed`, result.issues);
    const { invoice, totals } = result;
    if (!inScope(res, invoice.supplier.taxId ?? '')) {
      return sendProblem(res, 403, 'supplier_not_allowed', 'this API key does not act for the invoice\'s supplier', [
        { rule: 'FF-AUTH-SUPPLIER', severity: 'fatal', message: 'the supplier organisation number is not one of the key\'s suppliers', path: req.is(XML_TYPES) ? '/Invoice/AccountingSupplierParty' : '/supplier/taxId' },
      ]);
    }
    const id = naturalKey(invoice);
    const { record, created } = await insertInvoice(db, {
      id,
      supplierOrg: invoice.supplier.taxId ?? '',
      documentType: invoice.documentType,
      invoiceNumber: invoice.invoiceNumber,
      issueDate: invoice.issueDate,
      customerKind: invoice.buyer.kind,
      customerNumber: invoice.buyer.customerNumber ?? null,
      buyerOrg: invoice.buyer.kind === 'consumer' ? null : (invoice.buyer.taxId ?? null),
      branch: invoice.branch ?? '',
      payableAmount: totals.payableAmount,
      currency: invoice.currency,
      sourceSha256: sha256,
      idempotencyKey,
      warnings: result.warnings,
      verdictBasis: verdictBasis(deps.official !== undefined),
      retainUntil: retainUntil(invoice.issueDate),
    });
    if (!created && (record.sourceSha256 !== sha256 || record.id !== id)) return answerExisting(res, record, sha256);
    await startLifecycle(db, temporal, deps.taskQueue, record, submission, { eager: deps.eagerStart });
    if (!created) return answerExisting(res, record, sha256);
    res.status(202).location(links(id).self).json({ id, status: 'received', warnings: result.warnings, links: links(id) });
  });

  router.get('/v1/invoices', readers, async (req, res) => {
    const q = singleQuery(req, SEARCH_PARAMETERS);
    const records = await searchInvoices(db, {
      invoiceNumber: q.invoiceNumber,
      supplierOrg: q.supplierOrg,
      buyerOrg: q.buyerOrg,
      customerNumber: q.customerNumber,
      status: q.status,
      channel: q.channel,
      limit: limitOf(q.limit),
      suppliers: supplierScope(res),
    });
    res.json({ invoices: records.map(summary) });
  });

  router.get('/v1/invoices/:id', readers, async (req, res) => {
    const record = await found(req.params.id, res);
    const open = !FINAL_STATUSES.includes(record.status as InvoiceState['status']);
    const [deliveries, responses, live] = await Promise.all([listDeliveries(db, record.id), listPeppolResponses(db, record.id), open ? liveState(record.id) : undefined]);
    const awaitingAgreementUntil = live ? (live.awaitingAgreementUntil ?? null) : record.status === 'awaiting_agreement' ? await archivedAgreementDeadline(record.id) : null;
    res.json({
      // The archive answers at once; the workflow's live details only when it answered within LIVE_QUERY_TIMEOUT_MS.
      source: live ? 'live' : 'archive',
      ...summary(record),
      stage: record.stage,
      plan: record.plan,
      rule: record.ruleId ? { id: record.ruleId, rulesVersion: record.rulesVersion } : null,
      warnings: record.warnings,
      // `receipt`: the channel's own ids (Peppol: sbdhInstanceId, as4MessageId), as DESIGN.md names them.
      deliveries: deliveries.map((d) => ({ ...d, receipt: d.details })),
      // What the Peppol network said after delivery: transport, MLS, Invoice Responses; the delivery itself stands.
      responses,
      ...peppolStatuses(responses),
      awaitingAgreementUntil,
      attempts: live?.attempts ?? null,
      retainUntil: record.retainUntil,
      links: links(record.id),
    });
  });

  router.get('/v1/invoices/:id/history', readers, async (req, res) => {
    // `format` at most once: `?format=temporal&format=temporal` was read as neither view (issue 9, hostile input).
    const { format } = singleQuery(req, ['format']);
    const record = await found(req.params.id, res);
    const history = await temporal.workflow
      .getHandle(record.id)
      .fetchHistory()
      // A payload under a key no longer in PAYLOAD_KEYS stays encrypted; the rest of the history is still served.
      .then((h) => decodedHistory(h, deps.payloadCodec, (err) => deps.log('history: a payload could not be decrypted', { invoiceId: record.id, error: err.message })))
      .catch((err) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      });
    if (format === 'temporal') {
      if (!history) throw new HttpError(404, 'history_expired', 'Temporal no longer holds this workflow; the archived timeline is in the default view');
      res.type('application/json').send(servableHistoryJson(history));
      return;
    }
    const events = await listEvents(db, record.id);
    res.json({ id: record.id, status: record.status, timeline: withPeppolResponses(withArchivedStages(history ? historyTimeline(history) : [], events), events), archive: events });
  });

  router.get('/v1/invoices/:id/document', readers, async (req, res) => sendDocument(res, await found(req.params.id, res), 'ehf'));
  router.get('/v1/invoices/:id/pdf', readers, async (req, res) => sendDocument(res, await found(req.params.id, res), 'pdf'));

  return router;

  async function readSubmission(req: Request): Promise<{ submission: Submission; sha256: string }> {
    const body = req.body;
    if (typeof body !== 'string' || body.length === 0) {
      throw new HttpError(415, 'unsupported_media_type', 'send the invoice as application/json or as EHF/UBL with application/xml');
    }
    if (req.is(XML_TYPES)) {
      // Before any XML parser (also the well-formedness check) reads it: no DOCTYPE or ENTITY (XXE, entity bombs),
      // and a linear pass over the text for lengths, nesting and the number of lines.
      const refused = refusedXml(body);
      if (refused) throw new HttpError(422, 'invalid_invoice', refused.message, [refused]);
      refuseOverLong(checkXmlTextLimits(body));
      const wellFormed = await xmlWellFormed(body);
      if (wellFormed !== true) {
        const { line, col, msg } = wellFormed;
        throw new HttpError(400, 'malformed_body', 'the body is not well-formed XML', [{ rule: 'FF-XML-SYNTAX', severity: 'fatal', message: msg, path: `${line}:${col}` }]);
      }
      return { submission: { mediaType: 'application/xml', content: body }, sha256: sha256Hex(body) };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      throw new HttpError(400, 'malformed_body', 'the body is not valid JSON', [{ rule: 'FF-JSON-SYNTAX', severity: 'fatal', message: (err as Error).message, path: '/' }]);
    }
    refuseOverLong([...checkJsonShape(parsed), ...checkTextLimits(parsed)]);
    let canonical: string;
    try {
      canonical = canonicalJson(parsed);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      throw new HttpError(400, 'malformed_body', 'the JSON is nested too deeply to be an invoice', [{ rule: 'FF-JSON-SYNTAX', severity: 'fatal', message: 'nested too deeply', path: '/' }]);
    }
    return { submission: { mediaType: 'application/json', content: body }, sha256: sha256Hex(canonical) };
  }

  function answerExisting(res: Response, record: InvoiceRecord, sha256: string): void {
    if (record.sourceSha256 !== sha256) {
      sendProblem(res, 409, 'conflict', `invoice ${record.id} was already submitted with a different content; send a new invoice number or a credit note`);
      return;
    }
    res.status(200).location(links(record.id).self).json({ id: record.id, status: record.status, warnings: record.warnings, links: links(record.id) });
  }

  /** Another supplier's invoice is answered like a missing one: an erp key learns nothing of it. */
  async function found(id: string, res: Response): Promise<InvoiceRecord> {
    const record = await getInvoice(db, id);
    if (!record || !inScope(res, record.supplierOrg)) throw new HttpError(404, 'not_found', `no invoice ${id}`);
    return record;
  }

  /**
   * The workflow's live state, or undefined when it does not answer within LIVE_QUERY_TIMEOUT_MS: a query waits for a
   * worker to run it, and with no worker polling (or all busy) it waited 30 s (issue 9, defect 3). The deadline goes
   * to the engine with the call, so nothing keeps waiting after we answered.
   */
  async function liveState(id: string): Promise<InvoiceState | undefined> {
    return temporal.withDeadline(Date.now() + LIVE_QUERY_TIMEOUT_MS, () => temporal.workflow.getHandle(id).query(stateQuery)).catch(() => undefined);
  }

  /** The deadline the workflow archived when it began to wait (event `agreement_requested`, detail `until`). */
  async function archivedAgreementDeadline(id: string): Promise<string | null> {
    const requested = (await listEvents(db, id)).filter((e) => e.type === 'agreement_requested').at(-1);
    const until = (requested?.detail as { until?: unknown } | undefined)?.until;
    return typeof until === 'string' ? until : null;
  }

  async function sendDocument(res: Response, record: InvoiceRecord, kind: 'ehf' | 'pdf'): Promise<void> {
    const doc = await getDocument(db, record.id, kind);
    if (!doc) throw new HttpError(404, 'not_converted', `invoice ${record.id} has no ${kind === 'ehf' ? 'EHF document' : 'PDF'} yet (status ${record.status})`);
    res.type(doc.mediaType).set('ETag', `"${doc.sha256}"`).send(doc.content);
  }
}

/** Over-long text (or control characters) is refused before anything else reads the invoice: 422 with the fields. */
function refuseOverLong(issues: ValidationIssue[]): void {
  if (issues.length) throw new HttpError(422, 'invalid_invoice', `${issues.length} field(s) over a limit (length, lines, nesting, number range) or with control characters`, issues);
}

function limitOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new HttpError(400, 'bad_request', 'limit must be a whole number from 1 to 500');
  return n;
}

function summary(record: InvoiceRecord) {
  return {
    id: record.id,
    status: record.status,
    channel: record.channel,
    documentType: record.documentType,
    invoiceNumber: record.invoiceNumber,
    supplierOrg: record.supplierOrg,
    customerKind: record.customerKind,
    payableAmount: record.payableAmount,
    currency: record.currency,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function links(id: string) {
  const self = `/v1/invoices/${encodeURIComponent(id)}`;
  return { self, history: `${self}/history`, document: `${self}/document`, pdf: `${self}/pdf` };
}
