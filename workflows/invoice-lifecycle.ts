/**
 * One invoice, one workflow: validate → convert → route → deliver (with the eFaktura agreement wait and the
 * fallbacks of the plan) → archive. Only orchestration lives here; every step that touches the world is an
 * activity, and the history carries references, rule ids and channel names — never the invoice's content.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
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

type Activities = ReturnType<typeof createActivities>;

// Preparing the document: an invalid invoice is final; an outage of our own archive is waited out, however long.
const { validateInvoice, convertInvoice, routeInvoice } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', maximumInterval: '1 minute', nonRetryableErrorTypes: [INVALID_INVOICE] },
});

// Talking to channels: providers go down, so retry with backoff for up to a day, then fall back.
const { deliverInvoice, requestAgreement } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes: [...CHANNEL_UNAVAILABLE] },
});

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
    return await lifecycle();
  } catch (err) {
    // Whatever ends the workflow unexpectedly, the archive must not show the invoice as still under way.
    if (!FINAL_STATUSES.includes(state.status)) await archive({ status: 'failed' }, { error: errorType(err) });
    throw err;
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
