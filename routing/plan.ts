/**
 * What routing decides: an ordered plan of channels. The workflow walks the steps in order and stops at the
 * first that delivers; the plan, the rule id and the rule-set version are recorded with the invoice.
 */
export type Channel = 'peppol' | 'efaktura' | 'email' | 'print';
export const CHANNELS: readonly Channel[] = ['peppol', 'efaktura', 'email', 'print'];

export interface AgreementRequest {
  /** auto: SMS when a mobile number is known, else e-mail (Visma AutoInvoice practice, DOMAIN.md §6). */
  via: 'auto' | 'sms' | 'email';
  /** ISO 8601 duration to wait for the consumer's decision; P3D by default (seed 001). */
  wait: string;
}

export interface PlanStep {
  channel: Channel;
  /** eFaktura only: when the consumer has no agreement yet, request one and wait for the decision. */
  agreement?: AgreementRequest;
}

export interface Plan {
  steps: PlanStep[];
}

export interface RoutingDecision {
  ruleId: string;
  /** Content hash of the rule set that decided. */
  rulesVersion: string;
  plan: Plan;
}
