/**
 * The phoss-ap client against an HTTP server on 127.0.0.1 that speaks phoss-ap's outbound contract
 * (test/support/phoss-ap-server.ts), in each of the AP's answers and failure modes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccessPointUnavailable, type ApSubmission } from '../../../channels/peppol/access-point.js';
import { BILLING_PROCESS_ID, DOCUMENT_TYPE_IDS } from '../../../channels/peppol/billing-identifiers.js';
import { PhossAccessPoint } from '../../../channels/peppol/phoss-ap.js';
import { sbdhInstanceId } from '../../../channels/peppol/sbdh-instance-id.js';
import { freePort } from '../../support/free-port.js';
import { startPhossApServer, type PhossApServer } from '../../support/phoss-ap-server.js';

let ap: PhossApServer;
let client: PhossAccessPoint;
let n = 0;

beforeAll(async () => {
  ap = await startPhossApServer({ token: 'secret-token' });
  client = new PhossAccessPoint({ url: `${ap.url}/`, token: 'secret-token', submitTimeoutMs: 2_000, statusTimeoutMs: 2_000 });
});
afterAll(() => ap?.stop());
beforeEach(() => {
  ap.behaviours.clear();
  ap.fallback = { kind: 'send' };
});

function submission(receiver = '0192:987654325', documentType: ApSubmission['documentType'] = 'invoice'): ApSubmission {
  const invoiceId = `123456785:${documentType}:T-${process.pid}-${++n}`;
  return { sbdhInstanceId: sbdhInstanceId(invoiceId), invoiceId, sender: '0192:123456785', receiver, documentType, document: '<Invoice>…</Invoice>', countryC1: 'NO' };
}

describe('phoss-ap client', () => {
  it('submits with the identifiers, SBDH instance id and token phoss-ap expects, and reads the sending report', async () => {
    const s = submission();
    const sent = await client.submit(s);
    expect(sent).toMatchObject({ sbdhInstanceId: s.sbdhInstanceId, state: 'sent', mls: 'pending', as4MessageId: expect.stringMatching(/@phase4$/) });
    const tx = ap.transactions.get(s.sbdhInstanceId)!;
    expect(tx).toMatchObject({
      senderID: 'iso6523-actorid-upis::0192:123456785',
      receiverID: 'iso6523-actorid-upis::0192:987654325',
      docTypeID: `busdox-docid-qns::${DOCUMENT_TYPE_IDS.invoice}`,
      processID: `cenbii-procid-ubl::${BILLING_PROCESS_ID}`,
      c1CountryCode: 'NO',
      custom1: s.invoiceId,
      body: s.document,
      contentType: 'application/xml',
    });
    expect(sent.as4MessageId).toBe(tx.as4MessageId);
  });

  it('sends a credit note with the credit note document type', async () => {
    const s = submission('0192:987654325', 'creditNote');
    await client.submit(s);
    expect(ap.transactions.get(s.sbdhInstanceId)!.docTypeID).toBe(`busdox-docid-qns::${DOCUMENT_TYPE_IDS.creditNote}`);
  });

  it('reads the status and the MLS reception as it changes', async () => {
    const s = submission();
    await client.submit(s);
    expect(await client.status(s.sbdhInstanceId)).toMatchObject({ state: 'sent', mls: 'pending', at: expect.any(String) });
    for (const [wire, ours] of [['received_ab', 'AB'], ['received_ap', 'AP'], ['received_re', 'RE']] as const) {
      ap.setMls(s.sbdhInstanceId, wire);
      expect((await client.status(s.sbdhInstanceId)).mls).toBe(ours);
    }
    ap.setMls(s.sbdhInstanceId, 'not_applicable');
    expect((await client.status(s.sbdhInstanceId)).mls).toBeUndefined();
  });

  it('says unknown for an SBDH instance id the AP does not have (404)', async () => {
    expect(await client.status(sbdhInstanceId('never-submitted'))).toMatchObject({ state: 'unknown' });
  });

  it('maps NOT_SERVICED in the 422 report to not_serviced, although the status alone says failed', async () => {
    const s = submission('0192:810000002');
    ap.behaviours.set('0192:810000002', { kind: 'not_serviced' });
    expect(await client.submit(s)).toMatchObject({ state: 'not_serviced', detail: 'PEPPOL:NOT_SERVICED' });
    expect(await client.status(s.sbdhInstanceId)).toMatchObject({ state: 'failed' });
  });

  it('takes the status endpoint as the verdict after a 422: permanently_failed, or failed while the AP retries', async () => {
    const gone = submission('0192:810000003');
    ap.behaviours.set('0192:810000003', { kind: 'permanently_failed' });
    expect(await client.submit(gone)).toMatchObject({ state: 'permanently_failed' });

    const later = submission('0192:810000004');
    ap.behaviours.set('0192:810000004', { kind: 'retry_then_sent', afterPolls: 3 });
    // The submit's own status read is the first.
    expect(await client.submit(later)).toMatchObject({ state: 'failed' });
    expect(await client.status(later.sbdhInstanceId)).toMatchObject({ state: 'failed' });
    const sent = await client.status(later.sbdhInstanceId);
    expect(sent).toMatchObject({ state: 'sent', mls: 'pending' });
    expect(sent.as4MessageId).toBeUndefined();
  });

  it('maps a document the AP would not store (422 without a report, status 404) to rejected', async () => {
    ap.behaviours.set('0192:810000005', { kind: 'reject' });
    expect(await client.submit(submission('0192:810000005'))).toMatchObject({ state: 'rejected' });
  });

  it('takes a 400 (identifiers the AP cannot parse) as rejected', async () => {
    expect(await client.submit(submission('not-a-participant'))).toMatchObject({ state: 'rejected' });
  });

  it('treats 5xx, a refused token, a slow answer and an unreachable AP as no answer (retryable)', async () => {
    ap.behaviours.set('0192:810000006', { kind: 'error', status: 503, times: 1 });
    const s = submission('0192:810000006');
    await expect(client.submit(s)).rejects.toMatchObject({ name: 'AccessPointUnavailable', code: 'Http503' });
    expect(await client.submit(s)).toMatchObject({ state: 'sent' });

    const wrongToken = new PhossAccessPoint({ url: ap.url, token: 'wrong' });
    await expect(wrongToken.status('x')).rejects.toMatchObject({ code: 'Unauthorized' });
    await expect(new PhossAccessPoint({ url: ap.url }).submit(submission())).rejects.toBeInstanceOf(AccessPointUnavailable);

    ap.behaviours.set('0192:810000007', { kind: 'slow', delayMs: 1_500 });
    const impatient = new PhossAccessPoint({ url: ap.url, token: 'secret-token', submitTimeoutMs: 200 });
    const slow = submission('0192:810000007');
    await expect(impatient.submit(slow)).rejects.toMatchObject({ code: 'Timeout' });
    // The AP took it all the same: its status knows it, so nothing needs submitting again.
    expect((await client.status(slow.sbdhInstanceId)).state).toBe('sent');

    const nowhere = new PhossAccessPoint({ url: `http://127.0.0.1:${await freePort()}`, token: 'secret-token' });
    await expect(nowhere.status('x')).rejects.toMatchObject({ name: 'AccessPointUnavailable', code: 'ECONNREFUSED' });
  });
});
