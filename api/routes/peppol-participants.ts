/**
 * The Peppol receiver lookup for ERPs, like the discovery endpoints integrators know (Peppol Directory, AP
 * providers' "can this company receive?"), and the CSV import into the local registry while PEPPOL_LOOKUP=sandbox.
 *
 *   GET  /v1/peppol/participants/{scheme:id}[?documentType=invoice|creditNote]
 *        200 {participant, registered, documentTypes, acceptsDocumentType, checkedAt, cached, source, endpoint?, reason?}
 *        400 invalid participant id · 502 the SML/SMP gave no trustworthy answer (never `registered: false`)
 *   POST /v1/sandbox/peppol/participants   text/csv `identifier,name,documentTypes` → 200 {imported}
 */
import express, { Router } from 'express';
import { PeppolLookupUnavailable } from '../../channels/peppol/lookup.js';
import { parseParticipantCsv } from '../../channels/peppol/participant-csv.js';
import { checkParticipant } from '../../channels/peppol/participant-id.js';
import type { DocumentType } from '../../invoice/model.js';
import { allow } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../problem.js';

const DOCUMENT_TYPES: readonly DocumentType[] = ['invoice', 'creditNote'];

export function peppolParticipantRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/v1/peppol/participants/:participant', allow(deps, 'erp', 'support', 'ops', 'admin'), async (req, res) => {
    const checked = checkParticipant(req.params.participant);
    if (!checked.ok) {
      throw new HttpError(400, 'invalid_participant', checked.reason, [{ rule: 'FF-PEPPOL-PARTICIPANT', severity: 'fatal', message: checked.reason, path: '/participant' }]);
    }
    const documentType = (req.query.documentType ?? 'invoice') as DocumentType;
    if (!DOCUMENT_TYPES.includes(documentType)) throw new HttpError(400, 'bad_request', 'documentType must be invoice or creditNote');
    if (!deps.peppolLookup) throw new HttpError(503, 'lookup_not_configured', 'no Peppol receiver lookup is configured');
    let result;
    try {
      result = await deps.peppolLookup.lookup(checked.participant, documentType);
    } catch (err) {
      // "We could not get an answer" is not "not registered" (DESIGN.md, Peppol contract).
      if (err instanceof PeppolLookupUnavailable) throw new HttpError(502, 'lookup_unavailable', err.message);
      throw err;
    }
    res.json({
      participant: result.participant,
      registered: result.status !== 'not_registered',
      documentTypes: result.documentTypes,
      documentType,
      acceptsDocumentType: result.status === 'registered',
      checkedAt: result.checkedAt,
      cached: result.source === 'cache',
      source: result.source,
      ...(result.status === 'registered' && result.endpoint ? { endpoint: result.endpoint } : {}),
      ...(result.reason ? { reason: result.reason } : {}),
    });
  });

  router.post('/v1/sandbox/peppol/participants', allow(deps, 'ops', 'support', 'admin'), express.text({ type: () => true, limit: '5mb' }), async (req, res) => {
    if (!deps.peppolRegistry) throw new HttpError(404, 'not_found', 'sandbox endpoints exist only while PEPPOL_LOOKUP=sandbox');
    if (!req.is('text/csv')) throw new HttpError(415, 'unsupported_media_type', 'send the participants as text/csv: identifier,name,documentTypes');
    const parsed = parseParticipantCsv(typeof req.body === 'string' ? req.body : '');
    if (!parsed.ok) throw new HttpError(400, 'invalid_csv', `${parsed.errors.length} line(s) cannot be imported; nothing was imported`, parsed.errors);
    const imported = await deps.peppolRegistry.importEntries(parsed.entries);
    res.json({ imported });
  });

  return router;
}
