/**
 * The written form of a plan (`then:` in a rule): channels in order, each a name or a map.
 *
 *   then: [peppol]
 *   then: [{channel: efaktura, agreement: {via: auto, wait: P3D}}, email, print]
 *
 * `agreement` (eFaktura only) asks the consumer for an agreement and waits for the answer; `via` defaults to
 * auto (SMS when a mobile number is known, else e-mail; Visma AutoInvoice practice, DOMAIN.md §6) and `wait`
 * to P3D (seed 001). Also here: the checks that need no facts (unknown channel, a channel twice, a wait with
 * nothing after it, a bad duration), the text form used by explain, and plan equality for tests.
 */
import { issue, type ValidationIssue } from '../validation/issue.js';
import { didYouMean } from './did-you-mean.js';
import { checkIsoDuration } from './iso-duration.js';
import { CHANNELS, type AgreementRequest, type Channel, type Plan, type PlanStep } from './plan.js';
import { childPointer, type LocatedDocument } from './yaml-source.js';

export const DEFAULT_AGREEMENT: Readonly<AgreementRequest> = Object.freeze({ via: 'auto', wait: 'P3D' });
const AGREEMENT_VIA: readonly AgreementRequest['via'][] = ['auto', 'sms', 'email'];

/** Names people use for our channels. */
const CHANNEL_SYNONYMS: Readonly<Record<string, Channel>> = {
  ehf: 'peppol',
  'e-mail': 'email',
  mail: 'email',
  epost: 'email',
  'e-post': 'email',
  pdf: 'email',
  post: 'print',
  paper: 'print',
  letter: 'print',
  brev: 'print',
  papir: 'print',
  vipps: 'efaktura',
  'e-faktura': 'efaktura',
  einvoice: 'peppol',
};

const isChannel = (name: string): name is Channel => (CHANNELS as readonly string[]).includes(name);

export interface ParsedPlan {
  /** Undefined when the plan has fatal issues. */
  plan?: Plan;
  issues: ValidationIssue[];
  /** Pointer of each step as written, parallel to plan.steps. */
  stepPointers: string[];
}

export function parsePlan(value: unknown, doc: LocatedDocument, pointer: string): ParsedPlan {
  const issues: ValidationIssue[] = [];
  const fail = (rule: string, message: string, at: string, severity: 'fatal' | 'warning' = 'fatal'): void => {
    issues.push(issue(rule, message, at, severity));
  };
  const steps: PlanStep[] = [];
  const stepPointers: string[] = [];
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items)) {
    fail('FF-RULE-PLAN', 'A plan is a list of channels in order, e.g. then: [peppol] or then: [{channel: efaktura, agreement: {via: auto, wait: P3D}}, email, print].', doc.at(pointer));
    return { issues, stepPointers };
  }
  if (items.length === 0) {
    fail('FF-RULE-PLAN', 'An empty plan delivers nothing; name at least one channel, e.g. [email, print].', doc.at(pointer));
    return { issues, stepPointers };
  }
  const itemPointer = (index: number): string => (typeof value === 'string' ? pointer : childPointer(pointer, index));

  const channelOf = (name: unknown, at: string): Channel | undefined => {
    if (typeof name === 'string' && isChannel(name)) return name;
    const text = typeof name === 'string' ? name : JSON.stringify(name);
    const suggestion = typeof name === 'string' ? didYouMean(name, CHANNELS, CHANNEL_SYNONYMS) : undefined;
    fail('FF-RULE-CHANNEL', `Unknown channel '${text}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''} Channels: ${CHANNELS.join(', ')}.`, at);
    return undefined;
  };

  const agreementOf = (raw: unknown, at: string, agreementPointer: string): AgreementRequest | undefined => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      fail('FF-RULE-PLAN', 'Write the agreement as a map: agreement: {via: auto, wait: P3D}.', at);
      return undefined;
    }
    const fields = raw as Record<string, unknown>;
    let ok = true;
    for (const key of Object.keys(fields)) {
      if (key !== 'via' && key !== 'wait') {
        ok = false;
        const suggestion = didYouMean(key, ['via', 'wait']);
        fail('FF-RULE-PLAN', `Unknown agreement setting '${key}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''} An agreement has via (auto, sms, email) and wait (ISO 8601, e.g. P3D).`, doc.keyAt(childPointer(agreementPointer, key)));
      }
    }
    const via = fields.via ?? DEFAULT_AGREEMENT.via;
    if (typeof via !== 'string' || !(AGREEMENT_VIA as readonly string[]).includes(via)) {
      ok = false;
      const suggestion = typeof via === 'string' ? didYouMean(via, AGREEMENT_VIA, { 'e-mail': 'email', mobile: 'sms', text: 'sms' }) : undefined;
      fail('FF-RULE-PLAN', `agreement.via is auto, sms or email; got ${JSON.stringify(via)}.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`, doc.at(childPointer(agreementPointer, 'via')));
    }
    const wait = fields.wait ?? DEFAULT_AGREEMENT.wait;
    const waitAt = doc.at(childPointer(agreementPointer, 'wait'));
    if (typeof wait !== 'string') {
      ok = false;
      fail('FF-RULE-DURATION', `agreement.wait is an ISO 8601 duration such as P3D; got ${JSON.stringify(wait)}.`, waitAt);
    } else {
      const checked = checkIsoDuration(wait);
      if (!checked.ok) {
        ok = false;
        fail('FF-RULE-DURATION', checked.reason, waitAt);
      }
    }
    return ok ? { via: via as AgreementRequest['via'], wait: wait as string } : undefined;
  };

  let broken = false;
  items.forEach((item, index) => {
    const at = doc.at(itemPointer(index));
    stepPointers.push(itemPointer(index));
    if (typeof item === 'string') {
      const channel = channelOf(item, at);
      if (channel) steps.push({ channel });
      else broken = true;
      return;
    }
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      broken = true;
      fail('FF-RULE-PLAN', `A plan step is a channel name or {channel: …}; got ${JSON.stringify(item)}.`, at);
      return;
    }
    const fields = item as Record<string, unknown>;
    const keys = Object.keys(fields);
    if (fields.channel === undefined && keys.length === 1 && isChannel(keys[0]!)) {
      broken = true;
      fail('FF-RULE-PLAN', `Write the step as {channel: ${keys[0]}, agreement: {…}}.`, at);
      return;
    }
    for (const key of keys) {
      if (key === 'channel' || key === 'agreement') continue;
      broken = true;
      const hint =
        key === 'wait' || key === 'via'
          ? ` ${key} belongs inside the agreement: {channel: efaktura, agreement: {via: auto, wait: P3D}}.`
          : (() => {
              const suggestion = didYouMean(key, ['channel', 'agreement']);
              return suggestion ? ` Did you mean '${suggestion}'?` : ' A step has channel and, for efaktura, agreement.';
            })();
      fail('FF-RULE-PLAN', `Unknown step setting '${key}'.${hint}`, doc.keyAt(childPointer(itemPointer(index), key)));
    }
    if (fields.channel === undefined) {
      broken = true;
      fail('FF-RULE-PLAN', 'The step names no channel; write {channel: efaktura, …}.', at);
      return;
    }
    const channel = channelOf(fields.channel, doc.at(childPointer(itemPointer(index), 'channel')));
    if (!channel) {
      broken = true;
      return;
    }
    if (fields.agreement === undefined) {
      steps.push({ channel });
      return;
    }
    const agreementPointer = childPointer(itemPointer(index), 'agreement');
    if (channel !== 'efaktura') {
      broken = true;
      fail('FF-RULE-PLAN', `An agreement request belongs to efaktura only; ${channel} needs no agreement. Remove it.`, doc.keyAt(agreementPointer));
      return;
    }
    const agreement = agreementOf(fields.agreement, doc.at(agreementPointer), agreementPointer);
    if (agreement) steps.push({ channel, agreement });
    else broken = true;
  });
  if (broken) return { issues, stepPointers };

  const seen = new Map<Channel, number>();
  steps.forEach((step, index) => {
    const first = seen.get(step.channel);
    if (first !== undefined) {
      fail('FF-RULE-PLAN-DUPLICATE', `${step.channel} is already step ${first + 1} of this plan; a channel that failed once will fail again. Remove this step.`, doc.at(stepPointers[index]!));
    } else {
      seen.set(step.channel, index);
    }
  });
  const waiting = steps.findIndex((step) => step.agreement !== undefined);
  if (waiting === steps.length - 1) {
    const wait = steps[waiting]!.agreement!.wait;
    fail(
      'FF-RULE-PLAN-WAIT',
      `Nothing follows the agreement wait (${wait}): if the consumer does not accept in time the invoice is never sent. Add a fallback after it, e.g. email, print (seed 001: e-mail, else print).`,
      doc.at(stepPointers[waiting]!),
    );
  }
  const printAt = steps.findIndex((step) => step.channel === 'print');
  if (printAt >= 0 && printAt < steps.length - 1) {
    fail('FF-RULE-PLAN-UNUSED', `print always delivers, so ${steps.slice(printAt + 1).map((s) => s.channel).join(', ')} after it never run; put print last.`, doc.at(stepPointers[printAt + 1]!), 'warning');
  }
  const fatal = issues.some((found) => found.severity === 'fatal');
  return { ...(fatal ? {} : { plan: { steps } }), issues, stepPointers };
}

export function formatStep(step: PlanStep): string {
  return step.agreement ? `${step.channel} (request agreement via ${step.agreement.via}, wait ${step.agreement.wait})` : step.channel;
}

/** `efaktura (request agreement via auto, wait P3D) → email → print` */
export function formatPlan(plan: Plan): string {
  return plan.steps.map(formatStep).join(' → ');
}

export function plansEqual(a: Plan, b: Plan): boolean {
  return (
    a.steps.length === b.steps.length &&
    a.steps.every((step, i) => {
      const other = b.steps[i]!;
      return step.channel === other.channel && step.agreement?.via === other.agreement?.via && step.agreement?.wait === other.agreement?.wait;
    })
  );
}
