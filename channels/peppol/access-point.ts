/**
 * Handing a document to a Peppol access point (C2 in the four-corner model, DOMAIN.md §4) and asking it what became
 * of it. One small surface in our own words, implemented by the phoss-ap client (PEPPOL_AP=phoss-ap) and by the
 * outbox of the embedded default (PEPPOL_AP=outbox); the rest of the code never sees the AP's HTTP or JSON.
 *
 * "No answer" (connection refused, timeout, 5xx, a token the AP refuses) is an `AccessPointUnavailable`: retried with
 * backoff. Every answer the AP does give is an `ApTransmission`.
 */
import type { DocumentType } from '../../invoice/model.js';

export interface ApSubmission {
  /** Stable per invoice (sbdh-instance-id.ts): a retried submission is recognised by the AP, never sent twice. */
  sbdhInstanceId: string;
  /** For the AP's own records and our outbox: the invoice's natural key (no personal data). */
  invoiceId: string;
  /** `<scheme>:<id>` values of iso6523-actorid-upis, e.g. `0192:123456785`. */
  sender: string;
  receiver: string;
  documentType: DocumentType;
  /** The EHF / BIS Billing 3.0 UBL document (the AP builds the SBDH around it). */
  document: string;
  /** ISO 3166-1 alpha-2 country of C1 (the sender), required by the Peppol SBDH. */
  countryC1: string;
}

/**
 * Where a transmission stands, as the AP tells it:
 * - in flight (`pending`, `sending`, `failed` = the AP retries on its own): ask again later;
 * - `sent`: the receiving AP (C3) acknowledged it with a signed AS4 receipt; delivery is done;
 * - refusals (`rejected` by the AP's own checks, `permanently_failed` after its retries, `not_serviced` = C3 answered
 *   `PEPPOL:NOT_SERVICED`): final, the next channel of the plan takes over;
 * - `unknown`: the AP has no transmission with this SBDH instance id (never submitted, or lost).
 */
export type ApTransmissionState = 'pending' | 'sending' | 'failed' | 'sent' | 'rejected' | 'permanently_failed' | 'not_serviced' | 'unknown';

/** Message Level Status back from C3 (MLS 1.0 / MLR): AP accepted, AB acknowledged, RE rejected; `pending` while none. */
export type MlsStatus = 'pending' | 'AP' | 'AB' | 'RE';

export interface ApTransmission {
  sbdhInstanceId: string;
  state: ApTransmissionState;
  /** The AS4 message id of the successful attempt, where the AP tells it (phoss-ap: in the submit answer only). */
  as4MessageId?: string;
  /** Undefined when the AP expects no MLS for this transmission (the outbox). */
  mls?: MlsStatus;
  /** When it reached this state, if the AP says. */
  at?: string;
  /** Short, our words or a Peppol code (e.g. `PEPPOL:NOT_SERVICED`); never a document's content. */
  detail?: string;
}

export const IN_FLIGHT: readonly ApTransmissionState[] = ['pending', 'sending', 'failed'];
export const REFUSED: readonly ApTransmissionState[] = ['rejected', 'permanently_failed', 'not_serviced'];

export interface AccessPoint {
  /** `outbox` | `phoss-ap`: recorded with each transmission. */
  readonly name: string;
  /** Whether the AP reports MLS later (then the background poller asks for it). */
  readonly reportsMls: boolean;
  submit(submission: ApSubmission): Promise<ApTransmission>;
  status(sbdhInstanceId: string): Promise<ApTransmission>;
}

/** We could not get an answer from the AP: retry with backoff. Its message never quotes the document. */
export class AccessPointUnavailable extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'AccessPointUnavailable';
  }
}
