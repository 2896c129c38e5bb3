/**
 * Orchestration on the time-skipping test server: the activities are replaced, so these tests are about the
 * order of stages, the agreement wait and the fallbacks. The three-day wait takes milliseconds.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { createActivities } from '../../activities/index.js';
import { temporalTestServer } from '../../main/temporal-binaries.js';
import { registerSearchAttributes } from '../../workflows/register-search-attributes.js';
import type { Channel, Plan } from '../../routing/plan.js';
import { agreementDecidedSignal, stateQuery, type InvoiceState } from '../../workflows/definitions.js';

type Activities = ReturnType<typeof createActivities>;

const consumerPlan: Plan = {
  steps: [{ channel: 'efaktura', agreement: { via: 'auto', wait: 'P3D' } }, { channel: 'email' }, { channel: 'print' }],
};

interface Scenario {
  plan: Plan;
  efakturaReady?: boolean;
  unavailable?: Channel[];
  invalid?: boolean;
}

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServer() } } });
  await registerSearchAttributes(env.connection);
});

afterAll(async () => {
  await env?.teardown();
});

function fakeActivities(scenario: Scenario, log: string[]): Activities {
  return {
    async validateInvoice() {
      log.push('validate');
      if (scenario.invalid) throw ApplicationFailure.nonRetryable('1 rule failed', 'InvalidInvoice', 'BR-CO-15');
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
    async recordProgress({ event }: { event: string }) {
      log.push(`event:${event}`);
    },
  } as unknown as Activities;
}

async function run(scenario: Scenario, during?: (handle: Awaited<ReturnType<typeof env.client.workflow.start>>) => Promise<void>) {
  const log: string[] = [];
  const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { code: inject('workflowBundle') },
    activities: fakeActivities(scenario, log),
  });
  const result = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start('invoiceLifecycle', {
      taskQueue,
      workflowId: `123456785:invoice:${taskQueue}`,
      args: [{ invoiceId: `123456785:invoice:${taskQueue}`, source: { documentId: '1', sha256: 's' } }],
    });
    const started = Date.now();
    if (during) await during(handle);
    const state = (await handle.result()) as InvoiceState;
    const history = await handle.fetchHistory();
    return { state, handle, started, history };
  });
  return { ...result, log };
}

describe('invoice lifecycle', () => {
  it('delivers a registered business invoice over Peppol, stage by stage', async () => {
    const { state, log } = await run({ plan: { steps: [{ channel: 'peppol' }, { channel: 'email' }] } });
    expect(state.status).toBe('delivered');
    expect(state.channel).toBe('peppol');
    expect(state.ruleId).toBe('test-rule');
    expect(state.rulesVersion).toBe('rs-test');
    expect(log.filter((l) => !l.startsWith('event:'))).toEqual(['validate', 'convert', 'route', 'deliver:peppol']);
    expect(log.at(-1)).toBe('event:delivered');
  });

  it('rejects an invalid invoice without routing or delivering', async () => {
    const { state, log } = await run({ plan: consumerPlan, invalid: true });
    expect(state.status).toBe('rejected');
    expect(log).toEqual(['validate', 'event:rejected']);
  });

  it('sends eFaktura at once to a consumer who consented', async () => {
    const { state, log } = await run({ plan: consumerPlan, efakturaReady: true });
    expect(state.channel).toBe('efaktura');
    expect(log).not.toContain('request-agreement');
  });

  it('agreement accepted on day 2 → eFaktura', async () => {
    const { state, log } = await run({ plan: consumerPlan }, async (handle) => {
      await waitForStatus(handle, 'awaiting_agreement');
      await env.sleep('2 days');
      await handle.signal(agreementDecidedSignal, { status: 'accepted', source: 'test' });
    });
    expect(state.status).toBe('delivered');
    expect(state.channel).toBe('efaktura');
    expect(log).toContain('request-agreement');
    expect(log).toContain('event:agreement_accepted');
  });

  it('no decision within 3 days → e-mail', async () => {
    const { state, log } = await run({ plan: consumerPlan });
    expect(state.channel).toBe('email');
    expect(log).toContain('event:agreement_timeout');
    expect(state.attempts.map((a) => a.outcome)).toEqual(['agreement_timeout', 'delivered']);
  });

  it('no decision and no e-mail address → print', async () => {
    const { state, log } = await run({ plan: consumerPlan, unavailable: ['email'] });
    expect(state.channel).toBe('print');
    expect(log.filter((l) => l.startsWith('deliver:'))).toEqual(['deliver:email', 'deliver:print']);
    expect(state.attempts.map((a) => `${a.channel}:${a.outcome}:${a.detail}`)).toEqual([
      'efaktura:agreement_timeout:timeout',
      'email:unavailable:NoEmailAddress',
      'print:delivered:print-receipt',
    ]);
  });

  it('a rejected agreement falls back at once, without waiting out the three days', async () => {
    const { state, history } = await run({ plan: consumerPlan }, async (handle) => {
      await waitForStatus(handle, 'awaiting_agreement');
      await handle.signal(agreementDecidedSignal, { status: 'rejected', source: 'test' });
    });
    expect(state.channel).toBe('email');
    expect(state.attempts[0]?.outcome).toBe('agreement_rejected');
    const times = (history.events ?? []).map((e) => Number(e.eventTime?.seconds ?? 0));
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(3600);
  });

  it('fails when no channel of the plan can deliver', async () => {
    const { state } = await run({ plan: { steps: [{ channel: 'peppol' }, { channel: 'email' }] }, unavailable: ['peppol', 'email'] });
    expect(state.status).toBe('failed');
    expect(state.attempts).toHaveLength(2);
  });
});

async function waitForStatus(handle: { query: (q: typeof stateQuery) => Promise<InvoiceState> }, status: InvoiceState['status']): Promise<void> {
  for (;;) {
    const state = await handle.query(stateQuery).catch(() => undefined);
    if (state?.status === status) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
