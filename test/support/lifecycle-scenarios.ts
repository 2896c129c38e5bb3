/**
 * The invoice lifecycle on the time-skipping test server with its activities replaced: the workflow tests and
 * the history recorder (test/record-histories.ts) run the same scenarios.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type proto from '@temporalio/proto';
import type { createActivities } from '../../activities/index.js';
import type { ProgressNote } from '../../archive/progress-events.js';
import type { Channel, Plan } from '../../routing/plan.js';
import { agreementDecidedSignal, stateQuery, type AgreementDecision, type InvoiceLifecycleInput, type InvoiceState } from '../../workflows/definitions.js';

type Activities = ReturnType<typeof createActivities>;

export const consumerPlan: Plan = {
  steps: [{ channel: 'efaktura', agreement: { via: 'auto', wait: 'P3D' } }, { channel: 'email' }, { channel: 'print' }],
};
export const businessPlan: Plan = { steps: [{ channel: 'peppol' }, { channel: 'email' }, { channel: 'print' }] };

export interface Scenario {
  plan: Plan;
  /** A decision sent with the start (signal-with-start): it arrives before the workflow has done anything. */
  decidedAtStart?: AgreementDecision;
  efakturaReady?: boolean;
  unavailable?: Channel[];
  invalid?: boolean;
  /** The agreement request cannot reach the consumer (no mobile number, no e-mail address). */
  agreementUnreachable?: boolean;
  /** The SMS gateway and SMTP stay down: the agreement request fails on every attempt (retryable). */
  agreementRequestDown?: boolean;
  /** The preparation archives `validated`, then fails for good (e.g. the PDF over its time budget). */
  preparationFails?: boolean;
  /** The first delivery attempts on these channels fail as a provider down does (retryable), the next ones deliver. */
  downAtFirst?: Partial<Record<Channel, number>>;
}

export type During = (env: TestWorkflowEnvironment, handle: WorkflowHandle) => Promise<void>;

export interface ScenarioRun {
  state: InvoiceState;
  log: string[];
  history: proto.temporal.api.history.v1.IHistory;
  workflowId: string;
}

export function fakeActivities(scenario: Scenario, log: string[]): Activities {
  const seen = new Map<number, string>();
  return {
    async validateInvoice() {
      log.push('validate');
      if (scenario.invalid) throw ApplicationFailure.nonRetryable('1 rule(s) failed', 'InvalidInvoice', 'BR-CO-15');
      return { warnings: 0 };
    },
    async convertInvoice() {
      log.push('convert');
      return { ehf: { documentId: '2', sha256: 'e' }, pdf: { documentId: '3', sha256: 'p' } };
    },
    async routeInvoice() {
      log.push('route');
      return { ruleId: 'test-rule', rulesVersion: 'rs-test', plan: scenario.plan, efakturaReady: scenario.efakturaReady ?? false };
    },
    async requestAgreement() {
      log.push('request-agreement');
      return { via: 'sms' as const };
    },
    async deliverInvoice({ channel }: { channel: Channel }) {
      log.push(`deliver:${channel}`);
      if (scenario.unavailable?.includes(channel)) throw ApplicationFailure.nonRetryable(`no ${channel}`, channel === 'email' ? 'NoEmailAddress' : 'ReceiverNotRegistered');
      return { receiptId: `${channel}-receipt` };
    },
    async recordProgress({ event, seq }: { event: string; seq?: number }) {
      // As the archive's unique index on the sequence number does: a number already taken drops the event silently.
      if (seq !== undefined && seen.has(seq) && seen.get(seq) !== event) return void log.push(`event-dropped:${event}`);
      if (seq !== undefined) seen.set(seq, event);
      log.push(`event:${event}`);
    },
    // The lifecycle of few round trips (activities/lifecycle-steps.ts): the steps archive their own events, each
    // sequence number once (as the archive's unique index does), so a note sent again logs nothing twice.
    async prepareInvoice() {
      log.push('validate');
      if (scenario.invalid) {
        archived(log, seen, [{ seq: 1, type: 'rejected' }]);
        return { rejected: ['BR-CO-15'] };
      }
      archived(log, seen, [{ seq: 1, type: 'validated' }]);
      if (scenario.preparationFails) throw ApplicationFailure.nonRetryable('the PDF took longer than its budget', 'PdfRenderBudgetExceeded');
      log.push('convert');
      archived(log, seen, [{ seq: 2, type: 'converted' }]);
      log.push('route');
      archived(log, seen, [{ seq: 3, type: 'routed' }]);
      return { ehf: { documentId: '2', sha256: 'e' }, pdf: { documentId: '3', sha256: 'p' }, ruleId: 'test-rule', rulesVersion: 'rs-test', plan: scenario.plan, efakturaReady: scenario.efakturaReady ?? false, warnings: 0 };
    },
    async requestAgreementAndRecord({ after }: { after: ProgressNote }) {
      log.push(`request-agreement${Context.current().info.isLocal ? ':local' : ''}`);
      if (scenario.agreementUnreachable) throw ApplicationFailure.nonRetryable('no way to ask', 'NoEmailAddress');
      if (scenario.agreementRequestDown) throw ApplicationFailure.retryable('the SMS gateway answered 503', 'SmsGatewayError');
      archived(log, seen, after.events);
      return { via: 'sms' as const };
    },
    async deliverAndRecord({ channel, before, deliveredSeq }: { channel: Channel; before: ProgressNote; deliveredSeq: number }) {
      archived(log, seen, before.events);
      log.push(`deliver:${channel}${Context.current().info.isLocal ? ':local' : ''}`);
      if (scenario.unavailable?.includes(channel)) throw ApplicationFailure.nonRetryable(`no ${channel}`, channel === 'email' ? 'NoEmailAddress' : 'ReceiverNotRegistered');
      const down = scenario.downAtFirst?.[channel] ?? 0;
      if (log.filter((l) => l.startsWith(`deliver:${channel}`)).length <= down) throw ApplicationFailure.retryable(`${channel} provider answered 503`, 'ProviderDown');
      archived(log, seen, [{ seq: deliveredSeq, type: 'delivered' }]);
      return { receiptId: `${channel}-receipt` };
    },
  } as unknown as Activities;
}

/** Logs the events an archive write would add: a sequence number already archived adds nothing. */
function archived(log: string[], seen: Map<number, string>, events: { seq: number; type: string }[]): void {
  for (const { seq, type } of events) {
    const earlier = seen.get(seq);
    if (earlier !== undefined && earlier !== type) throw new Error(`sequence number ${seq} given to ${earlier} and to ${type}`);
    if (earlier === undefined) log.push(`event:${type}`);
    seen.set(seq, type);
  }
}

export async function runScenario(env: TestWorkflowEnvironment, workflowBundle: string, scenario: Scenario, during?: During): Promise<ScenarioRun> {
  const log: string[] = [];
  const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
  const workflowId = `123456785:invoice:${taskQueue}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { code: workflowBundle }, activities: fakeActivities(scenario, log) });
  return worker.runUntil(async () => {
    const options = { taskQueue, workflowId, args: [{ invoiceId: workflowId, source: { documentId: '1', sha256: 's' } }] as [InvoiceLifecycleInput] };
    const handle = scenario.decidedAtStart
      ? await env.client.workflow.signalWithStart('invoiceLifecycle', { ...options, signal: agreementDecidedSignal, signalArgs: [{ status: scenario.decidedAtStart, source: 'test' }] })
      : await env.client.workflow.start('invoiceLifecycle', options);
    if (during) await during(env, handle);
    // A workflow that fails (it rethrows after archiving `failed`) still answers what it last was.
    const state = (await handle.result().catch(() => handle.query(stateQuery))) as InvoiceState;
    const history = await handle.fetchHistory();
    return { state, log, history, workflowId };
  });
}

/** Waits until the workflow reports a status: queries answer as soon as the worker has processed the change. */
export async function waitForStatus(handle: WorkflowHandle, status: InvoiceState['status']): Promise<void> {
  for (;;) {
    const state = await handle.query(stateQuery).catch(() => undefined);
    if (state?.status === status) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export const acceptOnDayTwo: During = async (env, handle) => {
  await waitForStatus(handle, 'awaiting_agreement');
  await env.sleep('2 days');
  await handle.signal(agreementDecidedSignal, { status: 'accepted', source: 'test' });
};

export const rejectAtOnce: During = async (_env, handle) => {
  await waitForStatus(handle, 'awaiting_agreement');
  await handle.signal(agreementDecidedSignal, { status: 'rejected', source: 'test' });
};

/**
 * The scenarios whose histories are recorded for the replay test. Each is kept in three shapes, so that invoices in
 * flight during each upgrade keep replaying: the files named as the scenario were recorded by the stage-by-stage
 * lifecycle (before issue 12); the `.few-round-trips` files by the lifecycle of few engine round trips, delivering by
 * activity; the `.local-first` files by today's, whose channel steps go first as a local activity.
 */
const SCENARIOS: Record<string, { scenario: Scenario; during?: During }> = {
  'b2b-peppol': { scenario: { plan: businessPlan } },
  'rejected-invalid': { scenario: { plan: businessPlan, invalid: true } },
  'consumer-consented-efaktura': { scenario: { plan: consumerPlan, efakturaReady: true } },
  'agreement-accepted-day-2': { scenario: { plan: consumerPlan }, during: acceptOnDayTwo },
  'agreement-timeout-email': { scenario: { plan: consumerPlan } },
  'agreement-timeout-no-email-print': { scenario: { plan: consumerPlan, unavailable: ['email'] } },
  'agreement-rejected-email': { scenario: { plan: consumerPlan }, during: rejectAtOnce },
  'agreement-before-wait-efaktura': { scenario: { plan: consumerPlan, decidedAtStart: 'accepted' } },
  'no-channel-failed': { scenario: { plan: { steps: [{ channel: 'peppol' }, { channel: 'email' }] }, unavailable: ['peppol', 'email'] } },
};

/** Recorded only by today's lifecycle: a provider down at the first attempt, which the durable activity then delivers. */
const LOCAL_FIRST_SCENARIOS: Record<string, { scenario: Scenario; during?: During }> = {
  'b2b-peppol-down-at-first': { scenario: { plan: businessPlan, downAtFirst: { peppol: 2 } } },
};

export const FEW_ROUND_TRIPS_SUFFIX = '.few-round-trips';
export const LOCAL_FIRST_SUFFIX = '.local-first';

export const RECORDED: Record<string, { scenario: Scenario; during?: During }> = Object.fromEntries([
  ...Object.entries(SCENARIOS).flatMap(([name, recorded]) => [
    [name, recorded],
    [`${name}${FEW_ROUND_TRIPS_SUFFIX}`, recorded],
    [`${name}${LOCAL_FIRST_SUFFIX}`, recorded],
  ]),
  ...Object.entries(LOCAL_FIRST_SCENARIOS).map(([name, recorded]) => [`${name}${LOCAL_FIRST_SUFFIX}`, recorded]),
]);
