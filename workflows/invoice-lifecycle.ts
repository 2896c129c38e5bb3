/**
 * One invoice, one workflow: validate → convert → route → deliver (with the eFaktura agreement wait and the
 * fallbacks of the plan) → archive. Only orchestration lives here; every step that touches the world is an
 * activity, and the history carries references, rule ids and channel names — never the invoice's content.
 */
import {
  ActivityFailure,
  type ActivityOptions,
  ApplicationFailure,
  CancelledFailure,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  TemporalFailure,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { RetryState } from '@temporalio/common';
import type { createActivities } from '../activities/index.js';
import type { ArchivedProgress, ProgressEvent, ProgressNote } from '../archive/progress-events.js';
import type { Channel, PlanStep } from '../routing/plan.js';
import { parseIsoDuration } from '../routing/iso-duration.js';
import {
  agreementDecidedSignal,
  CHANNEL_UNAVAILABLE,
  decideAgreementUpdate,
  FINAL_STATUSES,
  INVALID_INVOICE,
  searchAttributes,
  stateQuery,
  type AgreementDecidedPayload,
  type AgreementDecision,
  type DeliveryAttempt,
  type DocumentRef,
  type InvoiceLifecycleInput,
  type InvoiceState,
} from './definitions.js';
import { PREPARATION_SEQ } from './preparation-sequence.js';

type Activities = ReturnType<typeof createActivities>;

// Preparing the document: an invalid invoice is final; an outage of our own archive is waited out, however long.
const { validateInvoice, convertInvoice, routeInvoice } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', maximumInterval: '1 minute', nonRetryableErrorTypes: [INVALID_INVOICE] },
});

// Talking to channels: providers go down, so retry with backoff for up to a day, then fall back. The activities
// heartbeat while they wait (activities/heartbeat.ts): a worker that died mid-delivery is noticed after 30 s.
const channelOptions: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes: [...CHANNEL_UNAVAILABLE] },
};
const { deliverInvoice, requestAgreement, deliverAndRecord, requestAgreementAndRecord } = proxyActivities<Activities>(channelOptions);

// Issue 12: preparation (validate, convert, route) is one local activity — no activity task of its own, its result a
// marker in the workflow task that follows — which archives the stages itself; an invalid invoice is a result, not a
// failure. An outage of our own archive is waited out, however long, as before.
const { prepareInvoice } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});

// Issue 12: a channel step's first attempt is a local activity as well, so a delivered invoice costs the engine its
// start and one workflow task. Only a failure a retry can mend goes on to the durable activity above (heartbeats, a
// day of backoff); the delivery key makes a repeated attempt find the earlier delivery (activities/index.ts).
const firstAttempt = proxyLocalActivities<Activities>({
  startToCloseTimeout: channelOptions.startToCloseTimeout,
  retry: { maximumAttempts: 1 },
});

/** Invoices started before it deliver by the durable activity only (their histories have no marker of this patch). */
export const LOCAL_FIRST_ATTEMPT_PATCH = 'channel-first-attempt-local';

/**
 * The lifecycle of few engine round trips (issue 12). Invoices started before it keep the stage-by-stage lifecycle
 * to their end: their histories have no marker of this patch (test/integration/replay.test.ts replays both shapes).
 */
export const FEW_ROUND_TRIPS_PATCH = 'lifecycle-few-round-trips';

// Bookkeeping in our own archive: must eventually succeed.
const { recordProgress } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1s', maximumInterval: '1 minute' },
});

export async function invoiceLifecycle(input: InvoiceLifecycleInput): Promise<InvoiceState> {
  const { invoiceId } = input;
  let state: InvoiceState = { status: 'received', stage: 'validate', attempts: [] };
  let awaitingAgreement = false;
  let agreement: AgreementDecision | undefined;
  let events = 0;
  const fewRoundTrips = patched(FEW_ROUND_TRIPS_PATCH);
  // Few round trips: the archive's events since its last write, which the next activity that writes the archive takes
  // along. A note sent again (its activity failed after writing it) writes nothing twice: each keeps its sequence number.
  let unarchived: ProgressEvent[] = [];

  setHandler(stateQuery, () => state);
  // The consumer's decision counts whenever it arrives: an SMS answered within seconds can beat our own bookkeeping.
  setHandler(agreementDecidedSignal, ({ status }) => {
    agreement ??= status;
  });
  setHandler(
    decideAgreementUpdate,
    ({ status }) => {
      agreement = status;
      return status;
    },
    {
      validator: (_decision: AgreementDecidedPayload) => {
        if (!awaitingAgreement || agreement !== undefined) throw new Error(`the invoice is not waiting for an agreement (status ${state.status})`);
      },
    },
  );

  async function enter(patch: Partial<InvoiceState>, event: string, detail: Record<string, unknown> = {}): Promise<void> {
    state = { ...state, ...patch };
    upsertSearchAttributes([
      { key: searchAttributes.status, value: state.status },
      ...(state.channel ? [{ key: searchAttributes.channel, value: state.channel }] : []),
      ...(state.ruleId ? [{ key: searchAttributes.routingRule, value: state.ruleId }] : []),
    ]);
    // The sequence number makes a retried write of the same event a no-op in the archive.
    await recordProgress({ invoiceId, state, event, detail, seq: ++events });
  }

  try {
    return await (fewRoundTrips ? fewRoundTripsLifecycle() : lifecycle());
  } catch (err) {
    // Whatever ends the workflow unexpectedly, the archive must not show the invoice as still under way.
    if (!FINAL_STATUSES.includes(state.status)) await (fewRoundTrips ? close : archive)({ status: 'failed' }, { error: errorType(err) });
    throw err;
  }

  // --- the lifecycle of few engine round trips (issue 12) ---------------------------------------------------------
  function note(patch: Partial<InvoiceState>, event: string, detail: Record<string, unknown> = {}): void {
    state = { ...state, ...patch };
    unarchived.push({ seq: ++events, type: event, detail });
  }

  function progressNote(): ProgressNote {
    const { status, stage, channel, ruleId, rulesVersion } = state;
    const archived: ArchivedProgress = { status, stage, ...(channel ? { channel } : {}), ...(ruleId ? { ruleId, rulesVersion } : {}) };
    return { state: archived, events: unarchived };
  }

  /** Search attributes change only where support searches by the new value: the final status and the channel. */
  function searchableFinal(): void {
    upsertSearchAttributes([
      { key: searchAttributes.status, value: state.status },
      ...(state.channel ? [{ key: searchAttributes.channel, value: state.channel }] : []),
      ...(state.ruleId ? [{ key: searchAttributes.routingRule, value: state.ruleId }] : []),
    ]);
  }

  /** The final status without a delivery (failed): rare, so the bookkeeping activity writes what is left, in order. */
  async function close(outcome: Pick<InvoiceState, 'status' | 'channel'>, detail: Record<string, unknown>): Promise<InvoiceState> {
    note({ ...outcome, stage: 'done' }, outcome.status, detail);
    for (const e of unarchived) await recordProgress({ invoiceId, state, event: e.type, detail: e.detail, seq: e.seq });
    unarchived = [];
    searchableFinal();
    return state;
  }

  async function fewRoundTripsLifecycle(): Promise<InvoiceState> {
    // 1–3. validate, convert, route: one local activity that archives the stages (all three, or up to one that failed).
    const prepared = await prepareInvoice({ invoiceId, source: input.source }).catch((err: unknown) => {
      // It may have archived some stages before it failed: the closing `failed` event comes after all of them.
      events = PREPARATION_SEQ.routed;
      throw err;
    });
    if ('rejected' in prepared) {
      events = PREPARATION_SEQ.rejected;
      state = { ...state, status: 'rejected', stage: 'done' };
      searchableFinal();
      return state;
    }
    events = PREPARATION_SEQ.routed;
    const { ehf, pdf, ruleId, rulesVersion, plan } = prepared;
    state = { ...state, status: 'routing', stage: 'deliver', ruleId, rulesVersion, plan };

    // 4. deliver: the first step of the plan that delivers wins; the others are fallbacks.
    for (const step of plan.steps) {
      if (step.channel === 'efaktura' && step.agreement && !prepared.efakturaReady) {
        const decision = await awaitAgreement(step);
        if (decision !== 'accepted') {
          state.attempts.push({ channel: 'efaktura', outcome: decision === 'rejected' ? 'agreement_rejected' : 'agreement_timeout', detail: decision });
          continue;
        }
      }
      note({ status: 'delivering', stage: 'deliver', awaitingAgreementUntil: undefined }, 'delivering', { channel: step.channel });
      const deliveredSeq = events + 1;
      try {
        const delivery = { invoiceId, channel: step.channel, agreementAccepted: agreement === 'accepted', ehf, pdf, before: progressNote(), deliveredSeq };
        const receipt = await locallyFirst('deliverAndRecord', firstAttempt.deliverAndRecord, deliverAndRecord, delivery);
        // 5. archive: the activity archived the final status and its event with the delivery.
        unarchived = [];
        events = deliveredSeq;
        state.attempts.push({ channel: step.channel, outcome: 'delivered', detail: receipt.receiptId });
        state = { ...state, status: 'delivered', channel: step.channel, stage: 'done' };
        searchableFinal();
        return state;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const type = err.cause instanceof ApplicationFailure ? (err.cause.type ?? 'Error') : (err.cause?.name ?? 'Error');
        state.attempts.push({ channel: step.channel, outcome: 'unavailable', detail: type });
      }
    }
    return close({ status: 'failed' }, { attempts: state.attempts });
  }

  /**
   * A channel step: once as a local activity, then — if that failed in a way a retry can mend (a provider down, a
   * timeout) — as the durable activity with its retries. A failure no retry mends (no such receiver, documents that do
   * not match) is the channel's answer either way.
   */
  async function locallyFirst<I, R>(step: string, local: (input: I) => Promise<R>, durable: (input: I) => Promise<R>, input: I): Promise<R> {
    if (!patched(LOCAL_FIRST_ATTEMPT_PATCH)) return durable(input);
    try {
      return await local(input);
    } catch (err) {
      // A local activity's failure arrives as it is (ApplicationFailure, TimeoutFailure), an activity's in an ActivityFailure.
      const failure = err instanceof ActivityFailure ? err.cause : err;
      if (!(failure instanceof TemporalFailure) || failure instanceof CancelledFailure) throw err;
      if (failure instanceof ApplicationFailure && failure.nonRetryable) {
        throw err instanceof ActivityFailure ? err : new ActivityFailure(failure.message, step, undefined, RetryState.NON_RETRYABLE_FAILURE, undefined, failure);
      }
      return durable(input);
    }
  }

  /** The three-day agreement wait of the plan, as in the stage-by-stage lifecycle; the request archives the wait. */
  async function awaitAgreement(step: PlanStep): Promise<AgreementDecision | 'timeout'> {
    if (agreement !== undefined) return agreement; // decided before we asked: no request, no wait
    const wait = parseIsoDuration(step.agreement?.wait ?? 'P3D') ?? 3 * 24 * 3600_000;
    const until = new Date(Date.now() + wait).toISOString();
    const waiting: Partial<InvoiceState> = { status: 'awaiting_agreement', stage: 'agreement', awaitingAgreementUntil: until };
    const before = { state, events, unarchived: [...unarchived] };
    note(waiting, 'agreement_requested', { until });
    try {
      await locallyFirst('requestAgreementAndRecord', firstAttempt.requestAgreementAndRecord, requestAgreementAndRecord, { invoiceId, via: step.agreement?.via ?? 'auto', after: progressNote() });
    } catch (err) {
      ({ state, events, unarchived } = before); // not asked, so not waiting: nothing of it was archived
      // Nobody to ask (CHANNEL_UNAVAILABLE), or the SMS gateway and SMTP stayed down for the whole retry window:
      // either way no agreement can come, and the plan's next channels (e-mail, print) take the invoice.
      if (err instanceof ActivityFailure) return 'timeout';
      throw err;
    }
    unarchived = [];
    // Support looks for invoices waiting on a consumer: the one status between start and end worth searching by.
    upsertSearchAttributes([{ key: searchAttributes.status, value: state.status }]);
    awaitingAgreement = true;
    const decidedInTime = await condition(() => agreement !== undefined, wait);
    awaitingAgreement = false;
    note({ awaitingAgreementUntil: undefined }, decidedInTime ? `agreement_${agreement}` : 'agreement_timeout');
    return decidedInTime && agreement ? agreement : 'timeout';
  }

  async function lifecycle(): Promise<InvoiceState> {
    // 1. validate
    try {
      await validateInvoice({ invoiceId, source: input.source });
    } catch (err) {
      if (isFailureOfType(err, INVALID_INVOICE)) {
        return archive({ status: 'rejected' }, { rules: failureDetails(err) });
      }
      throw err;
    }

    // 2. convert
    await enter({ stage: 'convert' }, 'validated');
    const documents = await convertInvoice({ invoiceId });

    // 3. route
    await enter({ status: 'routing', stage: 'route' }, 'converted', { ehf: documents.ehf.sha256 });
    const routing = await routeInvoice({ invoiceId });
    await enter({ ruleId: routing.ruleId, rulesVersion: routing.rulesVersion, plan: routing.plan, stage: 'deliver' }, 'routed', {
      ruleId: routing.ruleId,
      rulesVersion: routing.rulesVersion,
    });

    // 4. deliver: the first step of the plan that delivers wins; the others are fallbacks.
    for (const step of routing.plan.steps) {
      if (step.channel === 'efaktura' && step.agreement && !routing.efakturaReady) {
        const decision = await waitForAgreement(step);
        if (decision !== 'accepted') {
          state.attempts.push({ channel: 'efaktura', outcome: decision === 'rejected' ? 'agreement_rejected' : 'agreement_timeout', detail: decision });
          continue;
        }
      }
      await enter({ status: 'delivering', stage: 'deliver', awaitingAgreementUntil: undefined }, 'delivering', { channel: step.channel });
      const attempt = await tryDeliver(step.channel, documents);
      state.attempts.push(attempt);
      if (attempt.outcome === 'delivered') {
        return archive({ status: 'delivered', channel: step.channel }, { channel: step.channel, receipt: attempt.detail });
      }
    }
    return archive({ status: 'failed' }, { attempts: state.attempts });
  }

  /** 5. archive: the final status and its event close the invoice's timeline in the archive. */
  async function archive(outcome: Pick<InvoiceState, 'status' | 'channel'>, detail: Record<string, unknown>): Promise<InvoiceState> {
    await enter({ ...outcome, stage: 'done' }, outcome.status, detail);
    return state;
  }

  async function waitForAgreement(step: PlanStep): Promise<AgreementDecision | 'timeout'> {
    if (agreement !== undefined) return agreement; // decided before we asked: no request, no wait
    const wait = parseIsoDuration(step.agreement?.wait ?? 'P3D') ?? 3 * 24 * 3600_000;
    try {
      await requestAgreement({ invoiceId, via: step.agreement?.via ?? 'auto' });
    } catch (err) {
      if (isFailureOfType(err, ...CHANNEL_UNAVAILABLE)) return 'timeout';
      throw err;
    }
    awaitingAgreement = true;
    const until = new Date(Date.now() + wait).toISOString();
    await enter({ status: 'awaiting_agreement', stage: 'agreement', awaitingAgreementUntil: until }, 'agreement_requested', { until });
    const decidedInTime = await condition(() => agreement !== undefined, wait);
    awaitingAgreement = false;
    await enter({ awaitingAgreementUntil: undefined }, decidedInTime ? `agreement_${agreement}` : 'agreement_timeout');
    return decidedInTime && agreement ? agreement : 'timeout';
  }

  async function tryDeliver(channel: Channel, documents: { ehf: DocumentRef; pdf: DocumentRef }): Promise<DeliveryAttempt> {
    try {
      const receipt = await deliverInvoice({ invoiceId, channel, agreementAccepted: agreement === 'accepted', ehf: documents.ehf, pdf: documents.pdf });
      return { channel, outcome: 'delivered', detail: receipt.receiptId };
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const type = err.cause instanceof ApplicationFailure ? (err.cause.type ?? 'Error') : (err.cause?.name ?? 'Error');
      return { channel, outcome: 'unavailable', detail: type };
    }
  }
}

function errorType(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? (cause.type ?? 'ApplicationFailure') : cause instanceof Error ? cause.name : 'Error';
}

function isFailureOfType(err: unknown, ...types: readonly string[]): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && types.includes(err.cause.type ?? '');
}

function failureDetails(err: unknown): unknown[] {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? (err.cause.details ?? []) : [];
}
