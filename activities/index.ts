/**
 * The invoice workflow's activities: thin I/O wrappers around the archive, the validation pipeline, the
 * routing rules and the channels. Everything they return to the workflow is a reference, a hash, a rule id or
 * a channel name: the invoice's content and the buyer's contact data stay in the archive.
 */
import { ApplicationFailure, log } from '@temporalio/activity';
import { heartbeat, heartbeating } from './heartbeat.js';
import { ourVerdictOffLoop, recentVerdict } from '../validation/our-stage-off-loop.js';
import type { Db } from '../archive/database.js';
import { recordReceipt } from '../archive/channel-receipts.js';
import { findDelivery, recordProgressFindDelivery } from '../archive/deliveries.js';
import { getDocuments, putDocument } from '../archive/documents.js';
import { getInvoiceWithSource, recordRoutingFacts, recordState, type InvoiceRecord } from '../archive/invoices.js';
import type { ProgressNote } from '../archive/progress-events.js';
import { ChannelUnavailable, type DeliveryChannel } from '../channels/channel.js';
import type { AgreementRequester } from '../channels/agreement-request/requester.js';
import { EmailTransportError } from '../channels/email.js';
import type { EfakturaChannel } from '../channels/efaktura/efaktura-channel.js';
import { peppolParticipant } from '../channels/peppol-local.js';
import { PeppolLookupUnavailable } from '../channels/peppol/lookup.js';
import type { PeppolRouting } from '../channels/peppol/peppol-channel.js';
import { PrintProviderError } from '../channels/print/provider.js';
import { SmsGatewayError } from '../channels/sms/gateway.js';
import { renderInvoicePdf } from '../documents/invoice-pdf.js';
import { PdfRenderBudgetExceeded } from '../documents/pdf-render-pool.js';
import type { Invoice, Totals } from '../invoice/model.js';
import { buildRoutingFacts, type RoutingFacts } from '../routing/facts.js';
import type { Channel, RoutingDecision } from '../routing/plan.js';
import { isFatal } from '../validation/issue.js';
import { archivedSubmission, parseSubmission, validateSubmission, type OfficialValidator, type Submission, type ValidSubmission } from '../validation/submission.js';
import { verdictBasis } from '../validation/verdict-basis.js';
import { INVALID_INVOICE, type DocumentRef, type InvoiceState } from '../workflows/definitions.js';
import { createLifecycleSteps } from './lifecycle-steps.js';

/** The key a delivery is made under, once per invoice and channel: a retried attempt finds the first by it. */
const deliveryKeyOf = (input: { invoiceId: string; channel: Channel }) => `${input.invoiceId}:${input.channel}`;

/** One delivery: the invoice, the channel, and the documents the workflow converted (checked against the archive). */
export interface DeliveryInput {
  invoiceId: string;
  channel: Channel;
  agreementAccepted: boolean;
  ehf: DocumentRef;
  pdf: DocumentRef;
}

export interface ActivityDeps {
  db: Db;
  channels: {
    /** The Peppol delivery channel, which also answers the routing facts' receiver lookup. */
    peppol: DeliveryChannel & PeppolRouting;
    efaktura: EfakturaChannel;
    email: DeliveryChannel;
    print: DeliveryChannel;
  };
  /** Sends eFaktura agreement requests to consumers (SMS, else e-mail, with the agreement page link). */
  agreementRequests: AgreementRequester;
  /** The active routing rules (hot-reloaded); decides a plan from facts. */
  route(facts: RoutingFacts): RoutingDecision;
  official?: OfficialValidator;
  /** AGREEMENT_WAIT: overrides every plan's agreement wait (demos, tests). */
  agreementWait?: string;
  /** Renders the PDF off the event loop, within a time budget (documents/pdf-render-pool.ts); default: in-process. */
  renderPdf?: (invoice: Invoice, totals: Totals) => Promise<Uint8Array>;
}

export function createActivities(deps: ActivityDeps) {
  const { db, channels } = deps;

  /** The same invoice would exceed the budget again: no retry (retries of a stalled render made it worse, issue 9). */
  async function renderPdf(invoice: Invoice, totals: Totals): Promise<Uint8Array> {
    try {
      return await (deps.renderPdf ?? renderInvoicePdf)(invoice, totals);
    } catch (err) {
      if (err instanceof PdfRenderBudgetExceeded) throw ApplicationFailure.nonRetryable(err.message, 'PdfRenderBudgetExceeded');
      throw err;
    }
  }

  async function readSource(invoiceId: string): Promise<{ submission: Submission; sha256: string; retainUntil: string; record: InvoiceRecord }> {
    const { record, source } = (await getInvoiceWithSource(db, invoiceId)) ?? {};
    if (!record || !source) throw ApplicationFailure.nonRetryable(`invoice ${invoiceId} is not in the archive`, 'InvoiceNotArchived');
    const submission = archivedSubmission(source);
    return { submission, sha256: source.sha256, retainUntil: record.retainUntil, record };
  }

  async function loadInvoice(invoiceId: string): Promise<{ invoice: Invoice; totals: Totals }> {
    return parsedSource((await readSource(invoiceId)).submission);
  }

  /** The archived source's model: the verdict the API or the prepare step just gave the same text, else parsed. */
  function parsedSource(submission: Submission): { invoice: Invoice; totals: Totals } {
    const parsed = recentVerdict(submission) ?? parseSubmission(submission);
    if (!parsed.invoice || !parsed.totals) throw ApplicationFailure.nonRetryable('archived source no longer parses', INVALID_INVOICE, parsed.issues.map((i) => i.rule));
    return { invoice: parsed.invoice, totals: parsed.totals };
  }

  async function validated(submission: Submission, official?: OfficialValidator): Promise<ValidSubmission> {
    const result = await validateSubmission(submission, official, ourVerdictOffLoop);
    if (!result.valid) {
      // Rule ids only: messages may quote the invoice's content.
      const rules = [...new Set(result.issues.filter(isFatal).map((i) => i.rule))];
      throw ApplicationFailure.nonRetryable(`${rules.length} rule(s) failed`, INVALID_INVOICE, ...rules);
    }
    return result;
  }

  /** The facts are the caller's to archive (with the stage's progress, in the same statement, where it can). */
  async function decideRoute(invoice: Invoice, totals: Totals): Promise<RoutingDecision & { efakturaReady: boolean; facts: RoutingFacts }> {
    const [peppol, efakturaStatus] = await Promise.all([
      channels.peppol.lookup(peppolParticipant(invoice.buyer), invoice.documentType).catch((err) => {
        // No answer from the SML/SMP is no routing fact: retry (with the workflow's backoff), never route as "not registered".
        throw err instanceof PeppolLookupUnavailable ? ApplicationFailure.retryable(err.message, err.name) : err;
      }),
      invoice.buyer.kind === 'consumer' ? channels.efaktura.lookup(invoice) : Promise.resolve('not_found' as const),
    ]);
    const facts = buildRoutingFacts(invoice, totals.payableAmount, { peppol, efaktura: { status: efakturaStatus } });
    const decision = deps.route(facts);
    const plan = deps.agreementWait
      ? { steps: decision.plan.steps.map((s) => (s.agreement ? { ...s, agreement: { ...s.agreement, wait: deps.agreementWait! } } : s)) }
      : decision.plan;
    return { ruleId: decision.ruleId, rulesVersion: decision.rulesVersion, plan, efakturaReady: efakturaStatus === 'found' || efakturaStatus === 'agreement_accepted', facts };
  }

  /**
   * Deliver on one channel, idempotently: the delivery key finds an earlier delivery of a retried attempt. `before`:
   * the invoice's progress up to the attempt, archived in the round trip that looks for the earlier delivery; `after`:
   * the progress that follows from this delivery, archived with its receipt in one statement (`progressRecorded`) —
   * an earlier delivery found by its key leaves that to the caller.
   */
  async function deliver(
    input: DeliveryInput,
    archive: { before?: ProgressNote; after?: (receiptId: string) => ProgressNote } = {},
  ): Promise<{ receiptId: string; progressRecorded: boolean }> {
    const { after } = archive;
    const deliveryKey = deliveryKeyOf(input);
    const earlier = archive.before ? await recordProgressFindDelivery(db, input.invoiceId, archive.before, deliveryKey) : await findDelivery(db, deliveryKey);
    if (earlier) return { receiptId: earlier.receiptId, progressRecorded: false };
    // The source, the EHF and the PDF in one round trip.
    const documents = await getDocuments(db, input.invoiceId, ['source', 'ehf', 'pdf']);
    const [source, ehf, pdf] = [documents.get('source'), documents.get('ehf'), documents.get('pdf')];
    if (!source) throw ApplicationFailure.nonRetryable(`invoice ${input.invoiceId} is not in the archive`, 'InvoiceNotArchived');
    if (!ehf || !pdf || ehf.sha256 !== input.ehf.sha256 || pdf.sha256 !== input.pdf.sha256) {
      throw ApplicationFailure.nonRetryable('archived documents do not match the converted ones', 'DocumentMismatch');
    }
    const { invoice, totals } = parsedSource(archivedSubmission(source));
    try {
      const receipt = await channels[input.channel].deliver({
        invoiceId: input.invoiceId,
        deliveryKey,
        invoice,
        totals,
        ehfXml: ehf.content.toString('utf8'),
        pdf: pdf.content,
        agreementAccepted: input.agreementAccepted,
        heartbeat,
      });
      // The receipt (masked recipient, provider ids) also goes to the archived timeline, once.
      const recorded = await recordReceipt(db, input.invoiceId, deliveryKey, 'delivered', receipt, after?.(receipt.receiptId));
      log.info('delivered', { invoiceId: input.invoiceId, channel: input.channel, receiptId: recorded.receiptId });
      return { receiptId: recorded.receiptId, progressRecorded: after !== undefined };
    } catch (err) {
      throw asFailure(err);
    }
  }

  const steps = {
    /** Validate: the archived source, its integrity, and every rule (ours and the official ones). */
    async validateInvoice(input: { invoiceId: string; source: DocumentRef }): Promise<{ warnings: number; verdict: 'reused' | 'validated' }> {
      const source = await readSource(input.invoiceId);
      if (source.sha256 !== input.source.sha256) {
        throw ApplicationFailure.nonRetryable('the archived source does not match the submitted document', INVALID_INVOICE, 'FF-ARCHIVE-INTEGRITY');
      }
      // The API validated this very document (the archived source is immutable and was checked above) with the same
      // checks and rule sets before it accepted it: once is enough.
      const { record } = source;
      if (record.verdictBasis === verdictBasis(deps.official !== undefined)) return { warnings: record.warnings.length, verdict: 'reused' };
      const result = await validated(source.submission, deps.official);
      return { warnings: result.warnings.length, verdict: 'validated' };
    },

    /** Convert: the EHF 3.0 document (built, or the ERP's own XML) and the PDF, both archived. */
    async convertInvoice(input: { invoiceId: string }): Promise<{ ehf: DocumentRef; pdf: DocumentRef }> {
      const { submission, retainUntil } = await readSource(input.invoiceId);
      const { invoice, totals, ehfXml } = await validated(submission);
      const ehf = await putDocument(db, { invoiceId: input.invoiceId, kind: 'ehf', mediaType: 'application/xml', content: ehfXml, retainUntil });
      const pdf = await putDocument(db, { invoiceId: input.invoiceId, kind: 'pdf', mediaType: 'application/pdf', content: await renderPdf(invoice, totals), retainUntil });
      return { ehf, pdf };
    },

    /** Route: receiver look-ups → typed facts → the active rules' plan. */
    async routeInvoice(input: { invoiceId: string }): Promise<RoutingDecision & { efakturaReady: boolean }> {
      const { invoice, totals } = await loadInvoice(input.invoiceId);
      const { facts, ...decision } = await decideRoute(invoice, totals);
      await recordRoutingFacts(db, input.invoiceId, facts);
      return decision;
    },

    /** Ask the consumer for an eFaktura agreement: SMS if a mobile number is known, else e-mail (channels/agreement-request/). */
    async requestAgreement(input: { invoiceId: string; via: 'auto' | 'sms' | 'email' }): Promise<{ via: 'sms' | 'email' }> {
      const { invoice } = await loadInvoice(input.invoiceId);
      try {
        const { via, receipt } = await deps.agreementRequests.request(input.invoiceId, invoice, input.via);
        log.info('agreement requested', { invoiceId: input.invoiceId, via, receiptId: receipt.receiptId });
        return { via };
      } catch (err) {
        throw asFailure(err);
      }
    },

    /** Deliver on one channel, idempotently: the delivery key finds an earlier delivery of a retried attempt. */
    async deliverInvoice(input: DeliveryInput): Promise<{ receiptId: string }> {
      return { receiptId: (await deliver(input)).receiptId };
    },

    /** The archive follows the workflow: status, stage, plan and a timeline event per change. */
    async recordProgress(input: { invoiceId: string; state: InvoiceState; event: string; detail: Record<string, unknown>; seq?: number }): Promise<void> {
      await recordState(db, input.invoiceId, input.state, input.event, input.detail, input.seq);
    },
  };
  // The lifecycle's steps of few engine round trips (issue 12), which record their own progress in the archive.
  const lifecycle = createLifecycleSteps(deps, steps, { readSource, validated, renderPdf, decideRoute, deliver });
  return {
    ...steps,
    ...lifecycle,
    // The channel activities, which wait on providers, heartbeat (activities/heartbeat.ts).
    deliverInvoice: heartbeating(steps.deliverInvoice),
    requestAgreement: heartbeating(steps.requestAgreement),
    deliverAndRecord: heartbeating(lifecycle.deliverAndRecord),
    requestAgreementAndRecord: heartbeating(lifecycle.requestAgreementAndRecord),
  };
}

/**
 * Channel errors as the workflow history will hold them: typed, and with our own words only. A provider's message
 * can quote the receiver's address, so an unknown error keeps its type and loses its text.
 */
function asFailure(err: unknown): unknown {
  if (err instanceof ChannelUnavailable) return ApplicationFailure.nonRetryable(err.message, err.type);
  if (err instanceof EmailTransportError || err instanceof SmsGatewayError || err instanceof PrintProviderError) return ApplicationFailure.retryable(err.message, err.name);
  const name = err instanceof Error ? err.name : 'Error';
  const code = (err as { code?: unknown })?.code;
  return ApplicationFailure.retryable(`channel error (${typeof code === 'string' ? code : name})`, name);
}
