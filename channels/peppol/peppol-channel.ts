/**
 * The Peppol delivery channel: receiver lookup (PeppolLookup: the SML/SMP client or the local registry), hand-off to
 * the access point (AccessPoint: phoss-ap or the outbox), and waiting for the AP's verdict inside the deliver activity.
 *
 * - Not registered, or not for this document type: `ChannelUnavailable('ReceiverNotRegistered')`, the plan's next
 *   channel takes over. A lookup that gets no answer (PeppolLookupUnavailable) is retried, never taken for a "no".
 * - The SBDH instance id derives from the invoice; before submitting we ask the AP whether it already has it, so a
 *   retried activity (crash, timeout, a pending transmission) never makes a second transmission.
 * - `sent` = delivered. `PEPPOL:NOT_SERVICED` is "not registered" too; `rejected` / `permanently_failed` are the AP
 *   giving up: `ChannelUnavailable('RecipientRefused')`. Both non-retryable, both fall back (issue 10 item 4).
 * - Still in flight after a bounded wait (heartbeating meanwhile): `PeppolTransmissionPending`, a retryable failure,
 *   so Temporal comes back with backoff and the next attempt polls the same transmission.
 * The MLS and later statuses are not waited for here: the background poller (mls-poller.ts) and
 * POST /v1/peppol/responses record them, so the workflow's round trips stay what they are.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../archive/database.js';
import { findTransmission, recordPeppolResponse, saveTransmission } from '../../archive/peppol-responses.js';
import type { DocumentType } from '../../invoice/model.js';
import { ChannelUnavailable, type DeliveryChannel, type DeliveryRequest, type Receipt } from '../channel.js';
import { peppolParticipant, type PeppolRegistration } from '../peppol-local.js';
import { receiptFor } from '../receipt.js';
import { AccessPointUnavailable, IN_FLIGHT, REFUSED, type AccessPoint, type ApTransmission } from './access-point.js';
import type { PeppolLookup } from './lookup.js';
import { sbdhInstanceId } from './sbdh-instance-id.js';

export interface PeppolChannelOptions {
  db: Db;
  lookup: PeppolLookup;
  accessPoint: AccessPoint;
  /**
   * Polling the AP inside one deliver attempt. The defaults keep submit (≤ 40 s) + wait (≤ 50 s) inside the
   * activity's 2-minute start-to-close timeout (workflows/invoice-lifecycle.ts).
   */
  poll?: { firstIntervalMs?: number; maxIntervalMs?: number; maxWaitMs?: number };
  /** How long the background poller keeps asking for the MLS after `sent` (default 3 days). */
  mlsWindowMs?: number;
}

/** The routing facts' view of the receiver (routing/facts.ts): registered at all, and for this document type. */
export interface PeppolRouting {
  lookup(participant: string | undefined, documentType: DocumentType): Promise<PeppolRegistration>;
}

/** The AP has the transmission but has not finished it within this attempt: retry later, the same SBDH id. */
export class PeppolTransmissionPending extends Error {
  constructor(readonly state: string) {
    super(`the access point has not finished the transmission yet (${state})`);
    this.name = 'PeppolTransmissionPending';
  }
}

export class PeppolChannel implements DeliveryChannel, PeppolRouting {
  readonly channel = 'peppol' as const;

  constructor(private readonly options: PeppolChannelOptions) {}

  async lookup(participant: string | undefined, documentType: DocumentType): Promise<PeppolRegistration> {
    if (!participant) return { registered: false, acceptsDocumentType: false };
    const found = await this.options.lookup.lookup(participant, documentType);
    return { registered: found.status !== 'not_registered', acceptsDocumentType: found.status === 'registered' };
  }

  async deliver(request: DeliveryRequest): Promise<Receipt> {
    const { invoice } = request;
    const { db, accessPoint } = this.options;
    const receiver = peppolParticipant(invoice.buyer);
    if (!receiver) throw new ChannelUnavailable('ReceiverNotRegistered', 'the buyer has no Peppol endpoint or organisation number');
    // A retried attempt asks the AP first: once it holds this SBDH id (sending, or retrying on its own), the answer
    // is its status, whatever a fresh lookup would say now — else a changed lookup could send the invoice by the next
    // channel while the AP still delivers it.
    const sbdh = sbdhInstanceId(request.invoiceId);
    let t = await accessPoint.status(sbdh);
    let submitted: ApTransmission | undefined;
    if (t.state === 'unknown') {
      const found = await this.options.lookup.lookup(receiver, invoice.documentType);
      if (found.status !== 'registered') {
        const what = found.status === 'not_registered' ? 'is not registered in Peppol' : `is registered in Peppol, but not for ${invoice.documentType}`;
        throw new ChannelUnavailable('ReceiverNotRegistered', `receiver ${receiver} ${what}`);
      }
      const sender = peppolParticipant(invoice.supplier);
      if (!sender) throw new ChannelUnavailable('ReceiverNotRegistered', 'the supplier has no Peppol endpoint or organisation number');
      try {
        t = submitted = await accessPoint.submit({
          sbdhInstanceId: sbdh,
          invoiceId: request.invoiceId,
          sender,
          receiver,
          documentType: invoice.documentType,
          document: request.ehfXml,
          countryC1: invoice.supplier.address?.country ?? 'NO',
        });
      } catch (err) {
        // The AP may have taken it and still be sending: find out by its status, not by submitting again.
        if (!(err instanceof AccessPointUnavailable && err.code === 'Timeout')) throw err;
        t = { sbdhInstanceId: sbdh, state: 'sending' };
      }
    }
    if (t.state !== 'unknown') await this.save(request.invoiceId, t);
    const settled = await this.settle(t, request.heartbeat);
    // Saved again only when polling learnt something new (an AP that answered `sent` at once is saved once).
    if (settled !== t && settled.state !== 'unknown') await this.save(request.invoiceId, settled);
    t = settled;

    if (t.state === 'sent') {
      // phoss-ap's status has no AS4 message id: a retry after a crash finds the one the submit answer gave us; this
      // attempt's own submit answer needs no look-up.
      const as4MessageId = t.as4MessageId ?? (submitted ? submitted.as4MessageId : (await findTransmission(db, sbdh))?.as4MessageId) ?? undefined;
      await recordPeppolResponse(db, { invoiceId: request.invoiceId, sbdhInstanceId: sbdh, kind: 'transport', code: 'sent', at: t.at, source: 'access-point' });
      if (t.mls && t.mls !== 'pending') {
        await recordPeppolResponse(db, { invoiceId: request.invoiceId, sbdhInstanceId: sbdh, kind: 'mls', code: t.mls, source: 'access-point' });
      }
      return receiptFor('peppol', request.deliveryKey, {
        sbdhInstanceId: sbdh,
        ...(as4MessageId ? { as4MessageId } : {}),
        accessPoint: accessPoint.name,
        receiver,
      });
    }
    if (REFUSED.includes(t.state)) {
      const code = t.state === 'not_serviced' ? 'PEPPOL:NOT_SERVICED' : t.state;
      await recordPeppolResponse(db, { invoiceId: request.invoiceId, sbdhInstanceId: sbdh, kind: 'transport', code, reason: t.detail, at: t.at, source: 'access-point' });
      if (t.state === 'not_serviced') throw new ChannelUnavailable('ReceiverNotRegistered', `the receiver's access point does not serve ${receiver} for ${invoice.documentType} (PEPPOL:NOT_SERVICED)`);
      throw new ChannelUnavailable('RecipientRefused', `the access point gave up on the transmission (${t.state})`);
    }
    throw new PeppolTransmissionPending(t.state);
  }

  /** Polls while the AP is still at it, for a bounded time, heartbeating so the worker is known to be alive. */
  private async settle(t: ApTransmission, heartbeat?: () => void): Promise<ApTransmission> {
    const { firstIntervalMs = 500, maxIntervalMs = 5_000, maxWaitMs = 50_000 } = this.options.poll ?? {};
    const deadline = Date.now() + maxWaitMs;
    let interval = firstIntervalMs;
    while (IN_FLIGHT.includes(t.state) && Date.now() + interval <= deadline) {
      heartbeat?.();
      await sleep(interval);
      interval = Math.min(interval * 2, maxIntervalMs);
      t = await this.options.accessPoint.status(t.sbdhInstanceId);
    }
    return t;
  }

  private async save(invoiceId: string, t: ApTransmission): Promise<void> {
    const { accessPoint, mlsWindowMs = 3 * 24 * 3600_000 } = this.options;
    const awaitingMls = accessPoint.reportsMls && t.state === 'sent';
    await saveTransmission(this.options.db, {
      sbdhInstanceId: t.sbdhInstanceId,
      invoiceId,
      accessPoint: accessPoint.name,
      transportStatus: t.state,
      as4MessageId: t.as4MessageId,
      mlsStatus: awaitingMls ? (t.mls ?? 'pending') : undefined,
      pollUntil: awaitingMls ? new Date(Date.now() + mlsWindowMs) : undefined,
    });
  }
}
