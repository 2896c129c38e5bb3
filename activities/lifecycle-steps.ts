/**
 * The invoice lifecycle's steps with few engine round trips (issue 12). Preparation — validate, convert, route — is
 * one (local) activity, and delivery and the agreement request write the archive themselves: the workflow no longer
 * schedules a `recordProgress` activity per stage. Every archived event carries the sequence number the workflow
 * gave it, so a retried step writes nothing twice (archive/progress-events.ts). Results stay small: references,
 * hashes, rule ids, the plan.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { putDocuments } from '../archive/documents.js';
import type { InvoiceRecord } from '../archive/invoices.js';
import { recordProgressEvents, type ProgressEvent, type ProgressNote } from '../archive/progress-events.js';
import type { Invoice, Totals } from '../invoice/model.js';
import type { RoutingFacts } from '../routing/facts.js';
import type { Channel, Plan, RoutingDecision } from '../routing/plan.js';
import { isFatal } from '../validation/issue.js';
import { ourVerdictOffLoop } from '../validation/our-stage-off-loop.js';
import type { OfficialValidator, Submission, ValidSubmission } from '../validation/submission.js';
import { verdictBasis } from '../validation/verdict-basis.js';
import { INVALID_INVOICE, type DocumentRef } from '../workflows/definitions.js';
import { PREPARATION_SEQ } from '../workflows/preparation-sequence.js';
import type { ActivityDeps, DeliveryInput } from './index.js';


export type Prepared =
  | { rejected: string[] }
  | { ehf: DocumentRef; pdf: DocumentRef; ruleId: string; rulesVersion: string; plan: Plan; efakturaReady: boolean; warnings: number };

/** What activities/index.ts shares with these steps: its own helpers, so there is one way to read, check and route. */
export interface StepTools {
  readSource(invoiceId: string): Promise<{ submission: Submission; sha256: string; retainUntil: string; record: InvoiceRecord }>;
  validated(submission: Submission, official?: OfficialValidator): Promise<ValidSubmission>;
  renderPdf(invoice: Invoice, totals: Totals): Promise<Uint8Array>;
  decideRoute(invoice: Invoice, totals: Totals): Promise<RoutingDecision & { efakturaReady: boolean; facts: RoutingFacts }>;
  deliver(input: DeliveryInput, archive: { before?: ProgressNote; after?: (receiptId: string) => ProgressNote }): Promise<{ receiptId: string; progressRecorded: boolean }>;
}

interface BaseSteps {
  requestAgreement(input: { invoiceId: string; via: 'auto' | 'sms' | 'email' }): Promise<{ via: 'sms' | 'email' }>;
}

export function createLifecycleSteps(deps: ActivityDeps, base: BaseSteps, tools: StepTools) {
  const { db } = deps;

  /** Validate: the verdict the API gave this very document when the basis is the same (it is immutable), else anew. */
  async function validate(invoiceId: string, source: DocumentRef): Promise<{ valid: ValidSubmission; verdict: 'reused' | 'validated'; retainUntil: string } | { rejected: string[] }> {
    const archived = await tools.readSource(invoiceId);
    if (archived.sha256 !== source.sha256) return { rejected: ['FF-ARCHIVE-INTEGRITY'] };
    const { record, submission } = archived;
    if (record.verdictBasis === verdictBasis(deps.official !== undefined)) {
      // The same document the checks accepted, so the same EHF document validateSubmission built; off the event loop
      // when it is large (validation/our-stage-off-loop.ts). The official rules' verdict stands.
      const ours = await ourVerdictOffLoop(submission);
      if (!ours.invoice || !ours.totals || ours.ehfXml === undefined) return { rejected: [...new Set(ours.issues.filter(isFatal).map((i) => i.rule))] };
      return { valid: { valid: true, invoice: ours.invoice, totals: ours.totals, ehfXml: ours.ehfXml, warnings: record.warnings as ValidSubmission['warnings'] }, verdict: 'reused', retainUntil: record.retainUntil };
    }
    try {
      return { valid: await tools.validated(submission, deps.official), verdict: 'validated', retainUntil: record.retainUntil };
    } catch (err) {
      if (err instanceof ApplicationFailure && err.type === INVALID_INVOICE) return { rejected: (err.details ?? []).map(String) };
      throw err;
    }
  }

  return {
    /**
     * Validate → convert → route in one step, run by the workflow as a local activity: the three stages' events go to
     * the archive in one write at the end, or up to the stage that failed, so the timeline and the status show where
     * a stopped invoice stands. An invalid invoice
     * is archived as rejected here and answered as such (a result, not a failure: the workflow only closes it).
     */
    async prepareInvoice(input: { invoiceId: string; source: DocumentRef }): Promise<Prepared> {
      const { invoiceId } = input;
      const checked = await validate(invoiceId, input.source);
      if ('rejected' in checked) {
        // Rule ids only: messages may quote the invoice's content.
        await recordProgressEvents(db, invoiceId, { state: { status: 'rejected', stage: 'done' }, events: [{ seq: PREPARATION_SEQ.rejected, type: 'rejected', detail: { rules: checked.rejected } }] });
        return { rejected: checked.rejected };
      }
      const { invoice, totals, ehfXml, warnings } = checked.valid;
      // The stages go to the archive together once routed (one round trip for the three); a stage that fails first
      // writes the ones before it, so the archive says where the invoice stopped, as it did stage by stage.
      const validated = { seq: PREPARATION_SEQ.validated, type: 'validated', detail: { warnings: warnings.length, verdict: checked.verdict } };
      // The stage's own failure is what the workflow gets, also when the archive cannot take the note (a PDF over its
      // budget must stay non-retryable); the note is written again by the retry or the closing `failed`.
      const stoppedAt = (state: ProgressNote['state'], ...events: ProgressEvent[]) => async (err: unknown): Promise<never> => {
        await recordProgressEvents(db, invoiceId, { state, events }).catch(() => undefined);
        throw err;
      };

      const { retainUntil } = checked;
      const converting = stoppedAt({ status: 'received', stage: 'convert' }, validated);
      const pdfContent = await tools.renderPdf(invoice, totals).catch(converting);
      const [ehf, pdf] = await putDocuments(db, [
        { invoiceId, kind: 'ehf', mediaType: 'application/xml', content: ehfXml, retainUntil },
        { invoiceId, kind: 'pdf', mediaType: 'application/pdf', content: pdfContent, retainUntil },
      ]).catch(converting);

      // Routing takes a look-up or two; its facts are archived with the `routed` progress.
      const converted = { seq: PREPARATION_SEQ.converted, type: 'converted', detail: { ehf: ehf!.sha256 } };
      const routing = await tools.decideRoute(invoice, totals).catch(stoppedAt({ status: 'routing', stage: 'route' }, validated, converted));
      const { ruleId, rulesVersion, plan } = routing;
      await recordProgressEvents(
        db,
        invoiceId,
        { state: { status: 'routing', stage: 'deliver', ruleId, rulesVersion, plan }, events: [validated, converted, { seq: PREPARATION_SEQ.routed, type: 'routed', detail: { ruleId, rulesVersion } }] },
        { routingFacts: routing.facts },
      );
      return { ehf, pdf, ruleId, rulesVersion, plan, efakturaReady: routing.efakturaReady, warnings: warnings.length };
    },

    /**
     * Deliver on one channel and archive it: what the workflow noted since the last write (the agreement's outcome,
     * `delivering`) before the attempt, the `delivered` event with the final status after it.
     */
    async deliverAndRecord(input: {
      invoiceId: string;
      channel: Channel;
      agreementAccepted: boolean;
      ehf: DocumentRef;
      pdf: DocumentRef;
      before: ProgressNote;
      deliveredSeq: number;
    }): Promise<{ receiptId: string }> {
      const { invoiceId, channel } = input;
      const delivered = (receiptId: string): ProgressNote => ({
        state: { status: 'delivered', stage: 'done', channel },
        events: [{ seq: input.deliveredSeq, type: 'delivered', detail: { channel, receipt: receiptId } }],
      });
      // `before` goes with the look-up for an earlier delivery, the final status with the receipt (or, after an earlier
      // attempt's delivery, on its own): two round trips to the archive besides the channel's.
      const delivery = { invoiceId, channel, agreementAccepted: input.agreementAccepted, ehf: input.ehf, pdf: input.pdf };
      const { receiptId, progressRecorded } = await tools.deliver(delivery, { before: input.before, after: delivered });
      if (!progressRecorded) await recordProgressEvents(db, invoiceId, delivered(receiptId));
      return { receiptId };
    },

    /** Ask the consumer for an eFaktura agreement and, once asked, archive that the invoice waits (`after`). */
    async requestAgreementAndRecord(input: { invoiceId: string; via: 'auto' | 'sms' | 'email'; after: ProgressNote }): Promise<{ via: 'sms' | 'email' }> {
      const result = await base.requestAgreement({ invoiceId: input.invoiceId, via: input.via });
      await recordProgressEvents(db, input.invoiceId, input.after);
      return result;
    },
  };
}
