/**
 * The Peppol channel against real PostgreSQL and the phoss-ap contract server on 127.0.0.1: lookup → submit → poll,
 * each outcome as the workflow will see it (receipt, non-retryable fallback, retryable pending), never a second
 * transmission on a retry, and the MLS poller recording what comes later. No Temporal here: the channel is domain code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connect, type Db } from '../../archive/database.js';
import { listEvents } from '../../archive/invoices.js';
import { findTransmission, listPeppolResponses } from '../../archive/peppol-responses.js';
import { listOutbox } from '../../archive/outbox.js';
import type { DeliveryRequest } from '../../channels/channel.js';
import { LocalPeppolChannel } from '../../channels/peppol-local.js';
import { PeppolLookupUnavailable, type PeppolLookup } from '../../channels/peppol/lookup.js';
import { startMlsPoller } from '../../channels/peppol/mls-poller.js';
import { OutboxAccessPoint } from '../../channels/peppol/outbox-access-point.js';
import { PeppolChannel } from '../../channels/peppol/peppol-channel.js';
import { PhossAccessPoint } from '../../channels/peppol/phoss-ap.js';
import { SandboxPeppolLookup } from '../../channels/peppol/sandbox-lookup.js';
import { sbdhInstanceId } from '../../channels/peppol/sbdh-instance-id.js';
import { businessInvoice, PEPPOL_BUYER_ORG, UNREGISTERED_BUYER_ORG, uniqueNumber } from '../support/invoices.js';
import { startPhossApServer, type PhossApServer } from '../support/phoss-ap-server.js';
import { archiveInvoice } from '../support/archived-invoice.js';

/** Registered in this test for invoices only (valid MOD11, used by no other test). */
const INVOICES_ONLY_ORG = '910000004';

let db: Db;
let dataDir: string;
let ap: PhossApServer;
let registry: LocalPeppolChannel;
let channel: PeppolChannel;
const fast = { firstIntervalMs: 20, maxIntervalMs: 50, maxWaitMs: 2_000 };

beforeAll(async () => {
  db = connect(inject('databaseUrl'), 4);
  dataDir = await mkdtemp(join(tmpdir(), 'fakturaflyt-peppol-'));
  ap = await startPhossApServer();
  registry = new LocalPeppolChannel(db, dataDir);
  await registry.register(`0192:${INVOICES_ONLY_ORG}`, 'Bare faktura AS', ['invoice']);
  channel = new PeppolChannel({ db, lookup: new SandboxPeppolLookup(db), accessPoint: new PhossAccessPoint({ url: ap.url, token: ap.token }), poll: fast });
});

afterAll(async () => {
  await ap?.stop();
  await db?.end();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  ap.fallback = { kind: 'send' };
});

/** An invoice archived as the API would, and the request the deliver activity would make for it. */
async function request(body: ReturnType<typeof businessInvoice> = businessInvoice(uniqueNumber('P'))): Promise<DeliveryRequest & { beats: () => number }> {
  const { id, invoice, totals, ehfXml } = await archiveInvoice(db, body);
  let beats = 0;
  return { invoiceId: id, deliveryKey: `${id}:peppol`, invoice, totals, ehfXml, pdf: new Uint8Array(), heartbeat: () => void beats++, beats: () => beats };
}

describe('Peppol channel through phoss-ap', () => {
  it('delivers when the AP reports sent, with the AP ids on the receipt, and a retry transmits nothing again', async () => {
    const req = await request();
    const sbdh = sbdhInstanceId(req.invoiceId);
    const receipt = await channel.deliver(req);
    const tx = ap.transactions.get(sbdh)!;
    expect(tx.body).toBe(req.ehfXml);
    expect(receipt).toMatchObject({ channel: 'peppol', details: { sbdhInstanceId: sbdh, as4MessageId: tx.as4MessageId, accessPoint: 'phoss-ap', receiver: `0192:${PEPPOL_BUYER_ORG}` } });
    expect(await findTransmission(db, sbdh)).toMatchObject({ invoiceId: req.invoiceId, transportStatus: 'sent', mlsStatus: 'pending', as4MessageId: tx.as4MessageId });
    expect(await listPeppolResponses(db, req.invoiceId)).toEqual([{ kind: 'transport', code: 'sent', reason: null, at: expect.any(String) }]);

    const submits = ap.submits;
    const again = await channel.deliver(req);
    expect(again.receiptId).toBe(receipt.receiptId);
    // The AP's status has no AS4 message id; the one from the first submit answer is kept.
    expect(again.details.as4MessageId).toBe(tx.as4MessageId);
    expect(ap.submits).toBe(submits);
    expect(ap.duplicateSubmits).toBe(0);
    expect(await listPeppolResponses(db, req.invoiceId)).toHaveLength(1);
  });

  it('polls after a 422 while the AP retries, heartbeating, until sent', async () => {
    ap.fallback = { kind: 'retry_then_sent', afterPolls: 4 };
    const req = await request();
    const receipt = await channel.deliver(req);
    expect(receipt.details).toMatchObject({ sbdhInstanceId: sbdhInstanceId(req.invoiceId) });
    expect(receipt.details.as4MessageId).toBeUndefined();
    expect(req.beats()).toBeGreaterThanOrEqual(2);
  });

  it('gives a still-pending transmission back as retryable, and the retry polls the same SBDH id instead of sending again', async () => {
    ap.fallback = { kind: 'retry_then_sent', afterPolls: 1_000 };
    const impatient = new PeppolChannel({ db, lookup: new SandboxPeppolLookup(db), accessPoint: new PhossAccessPoint({ url: ap.url, token: ap.token }), poll: { ...fast, maxWaitMs: 150 } });
    const req = await request();
    await expect(impatient.deliver(req)).rejects.toMatchObject({ name: 'PeppolTransmissionPending', state: 'failed' });
    const submits = ap.submits;
    ap.transactions.get(sbdhInstanceId(req.invoiceId))!.sendAfterPolls = 0;
    await expect(impatient.deliver(req)).resolves.toMatchObject({ channel: 'peppol' });
    expect(ap.submits).toBe(submits);
    expect(ap.duplicateSubmits).toBe(0);
  });

  it('a retry asks the AP first: a receiver the lookup no longer finds does not send the invoice by another channel while the AP still has it', async () => {
    ap.fallback = { kind: 'retry_then_sent', afterPolls: 1_000 };
    let registered = true;
    const flipping: PeppolLookup = {
      lookup: async (participant, documentType) => {
        const checkedAt = new Date().toISOString();
        return registered
          ? { status: 'registered', participant, documentTypes: [documentType], checkedAt }
          : { status: 'not_registered', participant, documentTypes: [], checkedAt };
      },
    };
    const retrying = new PeppolChannel({ db, lookup: flipping, accessPoint: new PhossAccessPoint({ url: ap.url, token: ap.token }), poll: { ...fast, maxWaitMs: 150 } });
    const req = await request();
    await expect(retrying.deliver(req)).rejects.toMatchObject({ name: 'PeppolTransmissionPending' });
    registered = false; // the receiver moves providers: its SMP entry is gone for a while
    await expect(retrying.deliver(req)).rejects.toMatchObject({ name: 'PeppolTransmissionPending' });
    ap.transactions.get(sbdhInstanceId(req.invoiceId))!.sendAfterPolls = 0;
    await expect(retrying.deliver(req)).resolves.toMatchObject({ channel: 'peppol' });
    expect(ap.duplicateSubmits).toBe(0);
  });

  it('falls back on NOT_SERVICED (not registered), permanently_failed and rejected, recording the transport outcome', async () => {
    for (const [kind, type, code] of [
      ['not_serviced', 'ReceiverNotRegistered', 'PEPPOL:NOT_SERVICED'],
      ['permanently_failed', 'RecipientRefused', 'permanently_failed'],
      ['reject', 'RecipientRefused', 'rejected'],
    ] as const) {
      ap.fallback = { kind };
      const req = await request();
      await expect(channel.deliver(req)).rejects.toMatchObject({ name: 'ChannelUnavailable', type });
      expect((await listPeppolResponses(db, req.invoiceId)).map((r) => [r.kind, r.code])).toEqual([['transport', code]]);
    }
  });

  it('a receiver not registered, or not for this document type, is a fallback without asking the AP; a lookup outage is retried', async () => {
    const submits = ap.submits;
    await expect(channel.deliver(await request(businessInvoice(uniqueNumber('P'), UNREGISTERED_BUYER_ORG)))).rejects.toMatchObject({ type: 'ReceiverNotRegistered' });
    const creditNote = { ...businessInvoice(uniqueNumber('P'), INVOICES_ONLY_ORG), documentType: 'creditNote' };
    await expect(channel.deliver(await request(creditNote as ReturnType<typeof businessInvoice>))).rejects.toMatchObject({ type: 'ReceiverNotRegistered', message: expect.stringContaining('not for creditNote') });
    expect(ap.submits).toBe(submits);
    await expect(channel.deliver(await request(businessInvoice(uniqueNumber('P'), INVOICES_ONLY_ORG)))).resolves.toMatchObject({ channel: 'peppol' });

    const down: PeppolLookup = {
      lookup: async () => {
        throw new PeppolLookupUnavailable('SMP answered 503');
      },
    };
    const outage = new PeppolChannel({ db, lookup: down, accessPoint: new PhossAccessPoint({ url: ap.url, token: ap.token }), poll: fast });
    await expect(outage.deliver(await request())).rejects.toBeInstanceOf(PeppolLookupUnavailable);
  });

  it('the MLS poller records a later MLS once, as a response and an event, and the delivery stands', async () => {
    const req = await request();
    const sbdh = sbdhInstanceId(req.invoiceId);
    await channel.deliver(req);
    const poller = startMlsPoller({ db, accessPoint: new PhossAccessPoint({ url: ap.url, token: ap.token }), everyMs: 3_600_000, log: () => undefined });
    try {
      expect(await poller.pollOnce()).toBe(0);
      ap.setMls(sbdh, 'received_re');
      // Claimed at most once per interval: back-date the last poll so this round asks again.
      await db.query(`UPDATE peppol_transmissions SET last_polled_at = NULL WHERE sbdh_instance_id = $1`, [sbdh]);
      expect(await poller.pollOnce()).toBeGreaterThanOrEqual(1);
      expect((await listPeppolResponses(db, req.invoiceId)).map((r) => [r.kind, r.code])).toEqual([['transport', 'sent'], ['mls', 'RE']]);
      expect(await findTransmission(db, sbdh)).toMatchObject({ mlsStatus: 'RE' });
      const events = await listEvents(db, req.invoiceId);
      expect(events.filter((e) => e.type === 'peppol_response').map((e) => e.detail)).toEqual([expect.objectContaining({ kind: 'mls', code: 'RE', rejected: true })]);
      // Final MLS: no longer polled.
      await db.query(`UPDATE peppol_transmissions SET last_polled_at = NULL WHERE sbdh_instance_id = $1`, [sbdh]);
      const calls = ap.statusCalls;
      await poller.pollOnce();
      expect(ap.statusCalls).toBe(calls);
    } finally {
      await poller.stop();
    }
  });
});

describe('Peppol channel through the outbox (embedded default)', () => {
  it('puts the EHF in the outbox under the SBDH id, reports sent at once, and awaits no MLS', async () => {
    const outbox = new PeppolChannel({ db, lookup: new SandboxPeppolLookup(db), accessPoint: new OutboxAccessPoint(db, dataDir), poll: fast });
    const req = await request();
    const sbdh = sbdhInstanceId(req.invoiceId);
    const receipt = await outbox.deliver(req);
    expect(receipt.details).toMatchObject({ sbdhInstanceId: sbdh, accessPoint: 'outbox' });
    expect(await outbox.deliver(req)).toMatchObject({ receiptId: receipt.receiptId });
    const messages = await listOutbox(db, { invoiceId: req.invoiceId, channel: 'peppol' });
    expect(messages.map((m) => [m.messageKey, m.content.toString('utf8')])).toEqual([[sbdh, req.ehfXml]]);
    expect(await findTransmission(db, sbdh)).toMatchObject({ transportStatus: 'sent', mlsStatus: null });
  });
});
