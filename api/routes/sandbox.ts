/** The local providers of the embedded default, played through the API: eFaktura consumers and Peppol participants. */
import { Router } from 'express';
import type { DocumentType } from '../../invoice/model.js';
import type { ApiDeps } from '../deps.js';
import { allow } from '../auth.js';
import { HttpError } from '../problem.js';
import { checkCustomerNumber } from '../request-guards.js';

export function sandboxRoutes(deps: ApiDeps): Router {
  const router = Router();
  // Playing the local providers is for the operators of this installation, not for an ERP.
  const players = allow(deps, 'ops', 'support', 'admin');
  // The eFaktura sandbox exists only while it is the configured provider (EFAKTURA_PROVIDER=sandbox).
  const sandbox = () => {
    if (!deps.efakturaSandbox) throw new HttpError(404, 'not_found', 'the eFaktura sandbox is not configured (EFAKTURA_PROVIDER is not sandbox)');
    return deps.efakturaSandbox;
  };

  router.put('/v1/sandbox/efaktura/consumers/:customerNumber', players, async (req, res) => {
    const efaktura = sandbox();
    const { consent, blocked = false } = req.body ?? {};
    if (typeof consent !== 'boolean' || typeof blocked !== 'boolean') throw new HttpError(400, 'bad_request', 'consent and blocked must be booleans');
    checkCustomerNumber(req.params.customerNumber, 'path/customerNumber');
    await efaktura.setConsumer(req.params.customerNumber, consent, blocked);
    res.json({ customerNumber: req.params.customerNumber, consent, blocked });
  });

  router.get('/v1/sandbox/efaktura/consumers/:customerNumber', players, async (req, res) => {
    const consumer = await sandbox().getConsumer(req.params.customerNumber);
    if (!consumer) throw new HttpError(404, 'not_found', 'the sandbox provider does not know this consumer');
    res.json({ customerNumber: req.params.customerNumber, ...consumer });
  });

  router.put('/v1/sandbox/peppol/participants/:participant', players, async (req, res) => {
    if (!deps.peppolRegistry) throw new HttpError(404, 'not_found', 'sandbox endpoints exist only while PEPPOL_LOOKUP=sandbox');
    const participant = req.params.participant;
    if (!/^\d{4}:[A-Za-z0-9.-]+$/.test(participant)) throw new HttpError(400, 'bad_request', 'participant must be <scheme>:<id>, e.g. 0192:987654325');
    const { name = '', documentTypes = ['invoice', 'creditNote'] } = req.body ?? {};
    if (!Array.isArray(documentTypes) || documentTypes.some((t) => t !== 'invoice' && t !== 'creditNote')) {
      throw new HttpError(400, 'bad_request', 'documentTypes must list invoice and/or creditNote');
    }
    await deps.peppol.register(participant, String(name), documentTypes as DocumentType[]);
    res.json({ participant, name, documentTypes });
  });

  return router;
}
