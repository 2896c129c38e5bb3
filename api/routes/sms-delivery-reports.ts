/**
 * `POST /v1/sms/delivery-reports`: the SMS gateway's delivery reports (docs/sms-gateway.md), authenticated with
 * CALLBACK_SECRET (503 while it is unset). Each report goes into the receipt of the message it names and into that invoice's archived
 * timeline; no workflow step per report (DESIGN.md "Engine").
 */
import { Router } from 'express';
import { addReceiptDetails, findReceiptByMessageId } from '../../archive/channel-receipts.js';
import { parseDeliveryReports } from '../../channels/sms/http-gateway.js';
import { allow } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { HttpError } from '../problem.js';

export function smsDeliveryReportRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.post('/v1/sms/delivery-reports', allow(deps, 'callback'), async (req, res) => {
    const parsed = parseDeliveryReports(req.body);
    if ('issues' in parsed) {
      throw new HttpError(400, 'bad_request', 'not a delivery report', parsed.issues.map((i) => ({ rule: 'FF-SMS-REPORT', severity: 'fatal' as const, message: i.message, path: i.path })));
    }
    const unknown: string[] = [];
    let recorded = 0;
    for (const report of parsed.reports) {
      const found = await findReceiptByMessageId(deps.db, report.messageId);
      if (!found) {
        unknown.push(report.messageId);
        continue;
      }
      await addReceiptDetails(
        deps.db,
        found.key,
        { deliveryStatus: report.status, deliveryReportAt: report.at, ...(report.errorCode ? { deliveryError: report.errorCode } : {}) },
        'sms_delivery_report',
      );
      recorded++;
    }
    // Unknown ids are answered, not refused: a gateway retrying them for ever helps nobody.
    res.json({ recorded, unknown });
  });

  return router;
}
