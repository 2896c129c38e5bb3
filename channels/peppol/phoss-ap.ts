/**
 * The outbound REST API of phoss-ap (phax/phoss-ap, the open-source Peppol AP on phase4), PEPPOL_AP=phoss-ap.
 * All of its wire format lives here (docs/peppol-access-point.md):
 *
 * - `POST {PEPPOL_AP_URL}/api/outbound/submit/{senderID}/{receiverID}/{docTypeID}/{processID}/{c1CountryCode}?sbdhInstanceID=…`
 *   with the UBL document as the body (OutboundController#submitRawDocument). The AP stores the transaction, then
 *   sends it synchronously and answers phase4's sending report (Phase4PeppolSendingReport#getAsJsonObject):
 *   200 = sent; 422 = not sent (yet): the report, or a JSON string when the AP did not even store it. A 422 is not a
 *   verdict: the AP keeps retrying a failed attempt (5 times, 3 min ×2 capped at 1 h by default), so the status
 *   endpoint decides what is final. One exception: C3's ebMS error `PEPPOL:NOT_SERVICED` (DOMAIN.md §4) in the
 *   report's `as4ResponseErrors` is the receiver's AP saying no.
 * - `GET {PEPPOL_AP_URL}/api/outbound/status/{sbdhInstanceID}?includeArchive=true` → OutboundTransactionResponse JSON
 *   (`status`: pending | rejected | sending | sent | failed | permanently_failed, EOutboundStatus; `mlsStatus`:
 *   pending | received_ap | received_ab | received_re | not_applicable, EMlsReceptionStatus), 404 when unknown.
 * - Every /api/ call carries PEPPOL_AP_TOKEN in the `X-Token` header (ApiTokenFilter); a wrong one is 401.
 */
import { participantUri, documentTypeUri, processUri } from './billing-identifiers.js';
import { AccessPointUnavailable, type AccessPoint, type ApSubmission, type ApTransmission, type ApTransmissionState, type MlsStatus } from './access-point.js';

export interface PhossApOptions {
  /** PEPPOL_AP_URL, e.g. `http://phoss-ap:8080` (the base under which `/api/outbound/…` is served). */
  url: string;
  /** PEPPOL_AP_TOKEN (phoss-ap's `phase4.api.requiredtoken`). */
  token?: string;
  /** The submit call sends synchronously (SMP lookup + AS4 round trip): give it time, but less than the activity has. */
  submitTimeoutMs?: number;
  statusTimeoutMs?: number;
}

const NOT_SERVICED = 'PEPPOL:NOT_SERVICED';
// OutboundController: custom1–3 at most 255 characters each (phoss-ap#64).
const MAX_CUSTOM_FIELD = 255;

const STATUSES: Record<string, ApTransmissionState> = {
  pending: 'pending',
  sending: 'sending',
  failed: 'failed',
  sent: 'sent',
  rejected: 'rejected',
  permanently_failed: 'permanently_failed',
};

const MLS: Record<string, MlsStatus | undefined> = {
  pending: 'pending',
  received_ap: 'AP',
  received_ab: 'AB',
  received_re: 'RE',
  not_applicable: undefined,
};

/** The part of Phase4PeppolSendingReport's JSON we read. */
interface SendingReport {
  sbdhInstanceIdentifier?: string;
  as4MessageId?: string;
  as4SendingDateTime?: string;
  currentDateTimeUTC?: string;
  as4ResponseErrors?: { errorCode?: string; errorDetails?: string; shortDescription?: string }[];
  sendingSuccess?: boolean;
  overallSuccess?: boolean;
}

/** The part of OutboundTransactionResponse's JSON we read. */
interface OutboundTransactionResponse {
  sbdhInstanceID?: string;
  status?: string;
  mlsStatus?: string | null;
  createdDT?: string | null;
  completedDT?: string | null;
  errorDetails?: string | null;
}

export class PhossAccessPoint implements AccessPoint {
  readonly name = 'phoss-ap';
  readonly reportsMls = true;
  private readonly base: string;

  constructor(private readonly options: PhossApOptions) {
    this.base = options.url.replace(/\/+$/, '');
  }

  async submit(s: ApSubmission): Promise<ApTransmission> {
    const path = [participantUri(s.sender), participantUri(s.receiver), documentTypeUri(s.documentType), processUri(), s.countryC1]
      .map(encodeURIComponent)
      .join('/');
    const query = new URLSearchParams({ sbdhInstanceID: s.sbdhInstanceId, custom1: s.invoiceId.slice(0, MAX_CUSTOM_FIELD) });
    const res = await this.call(`/api/outbound/submit/${path}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: s.document,
      timeoutMs: this.options.submitTimeoutMs ?? 40_000,
    });
    if (res.status === 200 || res.status === 422) {
      const body = parseJson(res.text);
      if (isReport(body)) {
        // overallSuccess is also false when only the AP's own Peppol Reporting record failed: sendingSuccess is the AS4 receipt.
        if (body.sendingSuccess === true) {
          return { sbdhInstanceId: s.sbdhInstanceId, state: 'sent', as4MessageId: body.as4MessageId, at: body.as4SendingDateTime ?? body.currentDateTimeUTC, mls: 'pending' };
        }
        if (mentionsNotServiced(body)) {
          return { sbdhInstanceId: s.sbdhInstanceId, state: 'not_serviced', as4MessageId: body.as4MessageId, detail: NOT_SERVICED };
        }
      }
      if (res.status === 200) throw new AccessPointUnavailable('phoss-ap answered 200 without a sending report', 'BadAnswer');
      // 422: not sent now. The AP retries on its own; what it says about the transaction is the verdict.
      const status = await this.status(s.sbdhInstanceId);
      if (status.state !== 'unknown') return status;
      // Nothing stored: the AP's outbound verification refused the document (OutboundOrchestrator#submitRawDocument).
      return { sbdhInstanceId: s.sbdhInstanceId, state: 'rejected', detail: 'the access point did not accept the document (422)' };
    }
    if (res.status === 400) {
      // OutboundController: identifiers it cannot parse, custom fields too long. Sending it again changes nothing.
      return { sbdhInstanceId: s.sbdhInstanceId, state: 'rejected', detail: 'the access point refused the request (400)' };
    }
    throw unavailable(res.status, 'submit');
  }

  async status(sbdhInstanceId: string): Promise<ApTransmission> {
    // includeArchive (phoss-ap 0.9.0): a transmission the AP has archived after reporting is still found.
    const res = await this.call(`/api/outbound/status/${encodeURIComponent(sbdhInstanceId)}?includeArchive=true`, {
      method: 'GET',
      timeoutMs: this.options.statusTimeoutMs ?? 10_000,
    });
    if (res.status === 404) return { sbdhInstanceId, state: 'unknown' };
    if (res.status !== 200) throw unavailable(res.status, 'status');
    const tx = parseJson(res.text) as OutboundTransactionResponse | undefined;
    const state = tx && typeof tx.status === 'string' ? STATUSES[tx.status] : undefined;
    if (!state) throw new AccessPointUnavailable(`phoss-ap answered an outbound status we do not know (${String(tx?.status).slice(0, 40)})`, 'BadAnswer');
    const notServiced = (state === 'failed' || state === 'permanently_failed') && (tx?.errorDetails ?? '').includes(NOT_SERVICED);
    return {
      sbdhInstanceId,
      state: notServiced ? 'not_serviced' : state,
      mls: tx?.mlsStatus ? MLS[tx.mlsStatus] : undefined,
      at: tx?.completedDT ?? tx?.createdDT ?? undefined,
      detail: notServiced ? NOT_SERVICED : state === 'sent' ? undefined : tx?.status,
    };
  }

  private async call(path: string, init: { method: string; headers?: Record<string, string>; body?: string; timeoutMs: number }): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (this.options.token) headers['X-Token'] = this.options.token;
    try {
      const res = await fetch(this.base + path, { method: init.method, headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs) });
      return { status: res.status, text: await res.text() };
    } catch (err) {
      const e = err as { name?: string; cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new AccessPointUnavailable(`phoss-ap did not answer within ${init.timeoutMs} ms`, 'Timeout');
      throw new AccessPointUnavailable(`phoss-ap could not be reached (${e.cause?.code ?? e.name ?? 'network'})`, e.cause?.code ?? 'Network');
    }
  }
}

function unavailable(status: number, call: string): AccessPointUnavailable {
  if (status === 401) return new AccessPointUnavailable(`phoss-ap refused PEPPOL_AP_TOKEN (401 on ${call})`, 'Unauthorized');
  if (status === 404) return new AccessPointUnavailable('phoss-ap has sending disabled (404 on submit)', 'SendingDisabled');
  return new AccessPointUnavailable(`phoss-ap answered ${status} on ${call}`, `Http${status}`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isReport(body: unknown): body is SendingReport {
  return typeof body === 'object' && body !== null && ('sendingSuccess' in body || 'overallSuccess' in body);
}

function mentionsNotServiced(report: SendingReport): boolean {
  return (report.as4ResponseErrors ?? []).some((e) => (e.errorDetails ?? '').includes(NOT_SERVICED) || (e.shortDescription ?? '').includes(NOT_SERVICED));
}
