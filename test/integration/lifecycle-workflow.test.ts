/**
 * Orchestration on the time-skipping test server: the activities are replaced, so these tests are about the
 * order of stages, the agreement wait and the fallbacks. The three-day wait takes milliseconds.
 */
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { temporalTestServer } from '../../main/temporal-binaries.js';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { decideAgreementUpdate } from '../../workflows/definitions.js';
import { registerSearchAttributes } from '../../workflows/register-search-attributes.js';
import { acceptOnDayTwo, businessPlan, consumerPlan, rejectAtOnce, runScenario, waitForStatus, type During, type Scenario } from '../support/lifecycle-scenarios.js';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServer() } } });
  await registerSearchAttributes(env.connection);
});

afterAll(async () => {
  await env?.teardown();
});

const run = (scenario: Scenario, during?: During) => runScenario(env, inject('workflowBundle'), scenario, during);

/** Seconds of workflow time between the first and the last event of a history. */
function span(history: Awaited<ReturnType<typeof run>>['history']): number {
  const times = (history.events ?? []).map((e) => Number(e.eventTime?.seconds ?? 0));
  return Math.max(...times) - Math.min(...times);
}

const DAY = 24 * 3600;

describe('invoice lifecycle', () => {
  it('delivers a registered business invoice over Peppol, stage by stage', async () => {
    const { state, log, history } = await run({ plan: businessPlan });
    expect(state).toMatchObject({ status: 'delivered', channel: 'peppol', ruleId: 'test-rule', rulesVersion: 'rs-test', stage: 'done' });
    expect(log.filter((l) => !l.startsWith('event:'))).toEqual(['validate', 'convert', 'route', 'deliver:peppol:local']);
    expect(log.filter((l) => l.startsWith('event:'))).toEqual(['event:validated', 'event:converted', 'event:routed', 'event:delivering', 'event:delivered']);
    // Issue 12: prepared and delivered by local activities, so the engine hands out one workflow task and no activity task.
    const types = (history.events ?? []).map((e) => e.eventType);
    expect(types.filter((t) => t === proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toHaveLength(1);
    expect(types).not.toContain(proto.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  });

  it('a provider down at the first attempt: the durable activity retries with backoff and delivers, once', async () => {
    const { state, log } = await run({ plan: businessPlan, downAtFirst: { peppol: 2 } });
    expect(state).toMatchObject({ status: 'delivered', channel: 'peppol' });
    expect(state.attempts).toEqual([{ channel: 'peppol', outcome: 'delivered', detail: 'peppol-receipt' }]);
    expect(log.filter((l) => l.startsWith('deliver:'))).toEqual(['deliver:peppol:local', 'deliver:peppol', 'deliver:peppol']);
    expect(log.filter((l) => l.startsWith('event:'))).toEqual(['event:validated', 'event:converted', 'event:routed', 'event:delivering', 'event:delivered']);
  });

  it('rejects an invalid invoice without routing or delivering', async () => {
    const { state, log } = await run({ plan: consumerPlan, invalid: true });
    expect(state.status).toBe('rejected');
    expect(log).toEqual(['validate', 'event:rejected']);
  });

  it('sends eFaktura at once to a consumer who consented', async () => {
    const { state, log } = await run({ plan: consumerPlan, efakturaReady: true });
    expect(state.channel).toBe('efaktura');
    expect(log.filter((l) => l.startsWith('request-agreement'))).toEqual([]);
  });

  it('agreement accepted on day 2 → eFaktura', async () => {
    const { state, log, history } = await run({ plan: consumerPlan }, acceptOnDayTwo);
    expect(state).toMatchObject({ status: 'delivered', channel: 'efaktura' });
    expect(log).toContain('request-agreement:local');
    expect(log).toContain('event:agreement_accepted');
    expect(span(history)).toBeGreaterThanOrEqual(2 * DAY);
    expect(span(history)).toBeLessThan(3 * DAY);
  });

  it('no decision within 3 days → e-mail', async () => {
    const { state, log, history } = await run({ plan: consumerPlan });
    expect(state.channel).toBe('email');
    expect(log).toContain('event:agreement_timeout');
    expect(state.attempts.map((a) => a.outcome)).toEqual(['agreement_timeout', 'delivered']);
    expect(span(history)).toBeGreaterThanOrEqual(3 * DAY);
  });

  it('no decision and no e-mail address → print', async () => {
    const { state, log } = await run({ plan: consumerPlan, unavailable: ['email'] });
    expect(state.channel).toBe('print');
    expect(log.filter((l) => l.startsWith('deliver:'))).toEqual(['deliver:email:local', 'deliver:print:local']);
    expect(state.attempts.map((a) => `${a.channel}:${a.outcome}:${a.detail}`)).toEqual([
      'efaktura:agreement_timeout:timeout',
      'email:unavailable:NoEmailAddress',
      'print:delivered:print-receipt',
    ]);
  });

  it('a rejected agreement falls back at once, without waiting out the three days', async () => {
    const { state, history } = await run({ plan: consumerPlan }, rejectAtOnce);
    expect(state.channel).toBe('email');
    expect(state.attempts[0]?.outcome).toBe('agreement_rejected');
    expect(span(history)).toBeLessThan(3600);
  });

  it('an acceptance that arrives before the invoice waits is kept: no request, no wait, eFaktura', async () => {
    const { state, log, history } = await run({ plan: consumerPlan, decidedAtStart: 'accepted' });
    expect(state.channel).toBe('efaktura');
    expect(log.filter((l) => l.startsWith('request-agreement'))).toEqual([]);
    expect(span(history)).toBeLessThan(3600);
  });

  it('a decision for this invoice (update) is taken while it waits, and refused with the outcome once it does not', async () => {
    let late: unknown;
    const { state } = await run({ plan: consumerPlan }, async (_env, handle) => {
      await waitForStatus(handle, 'awaiting_agreement');
      expect(await handle.executeUpdate(decideAgreementUpdate, { args: [{ status: 'rejected', source: 'test' }] })).toBe('rejected');
      late = await handle.executeUpdate(decideAgreementUpdate, { args: [{ status: 'accepted', source: 'test' }] }).catch((err: unknown) => err);
    });
    expect(state.channel).toBe('email');
    // Refused by the workflow, or — delivered by e-mail within the same workflow task — by the engine, the workflow
    // being closed: api/routes/agreements.ts answers 409 not_awaiting_agreement to either.
    expect(late instanceof WorkflowUpdateFailedError || late instanceof WorkflowNotFoundError).toBe(true);
  });

  it('a consumer the agreement request cannot reach gets the next channel, and the wait is never archived', async () => {
    const { state, log, history } = await run({ plan: consumerPlan, agreementUnreachable: true });
    expect(state.channel).toBe('email');
    // No way to ask is no retry: the local attempt's answer stands, no durable activity follows.
    expect(log.filter((l) => l.startsWith('request-agreement'))).toEqual(['request-agreement:local']);
    expect(log.filter((l) => l.startsWith('event:'))).toEqual(['event:validated', 'event:converted', 'event:routed', 'event:delivering', 'event:delivered']);
    expect(span(history)).toBeLessThan(3600);
  });

  it('an agreement request that stays down for the whole retry window falls back to the next channel, not to failed', async () => {
    const { state, log } = await run({ plan: consumerPlan, agreementRequestDown: true });
    expect(state).toMatchObject({ status: 'delivered', channel: 'email' });
    const requests = log.filter((l) => l.startsWith('request-agreement'));
    expect(requests[0]).toBe('request-agreement:local');
    expect(requests.filter((l) => l === 'request-agreement').length).toBeGreaterThan(1);
    expect(log.filter((l) => l.startsWith('event:'))).toEqual(['event:validated', 'event:converted', 'event:routed', 'event:delivering', 'event:delivered']);
  });

  it('a preparation that fails after archiving a stage closes the timeline with its failure, after that stage', async () => {
    const { state, log } = await run({ plan: businessPlan, preparationFails: true });
    expect(state.status).toBe('failed');
    expect(log.filter((l) => l.startsWith('event'))).toEqual(['event:validated', 'event:failed']);
  });

  it('fails when no channel of the plan can deliver', async () => {
    const { state, log } = await run({ plan: { steps: [{ channel: 'peppol' }, { channel: 'email' }] }, unavailable: ['peppol', 'email'] });
    expect(state.status).toBe('failed');
    expect(state.attempts.map((a) => `${a.channel}:${a.outcome}:${a.detail}`)).toEqual(['peppol:unavailable:ReceiverNotRegistered', 'email:unavailable:NoEmailAddress']);
    // A failure no retry mends is the channel's answer at the first attempt: no durable activity tries again.
    expect(log.filter((l) => l.startsWith('deliver:'))).toEqual(['deliver:peppol:local', 'deliver:email:local']);
  });
});
