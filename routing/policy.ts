/**
 * What a plan must do for which buyers, by invoice issue date: Norway's e-invoicing mandates and what each
 * channel can carry. The linter checks every region of facts a rule decides (fact-space.ts) against this list.
 *
 * Sources:
 * - B2G: EHF over Peppol is mandatory for invoices to public bodies since 1 April 2019 (FOR-2019-04-01-444;
 *   seed 003 "Key Deadlines"); public bodies accept no other format, PDF included.
 * - B2B: from 1 January 2027 a Norwegian business must send EHF to a business buyer registered in ELMA (the
 *   Norwegian Peppol register); PDF by e-mail stays allowed for buyers not registered until 1 January 2030, when
 *   every bookkeeping-obligated business must be able to receive e-invoices (seed 003, Bookkeeping Act amendment;
 *   the mandate is announced, so the 2030 check is a warning).
 * - eFaktura reaches consumers' online banks and Vipps only, and carries invoices only (MPS ATG service error
 *   3100 "only document type INVOICE"; Vipps eFaktura takes no credit notes; DOMAIN.md §1.4, §1.5).
 */
import type { Severity } from '../validation/issue.js';
import type { Channel, Plan } from './plan.js';

export interface DeliveryRule {
  /** Issue rule id. */
  rule: string;
  severity: Severity;
  /** When the rule applies, as json-logic over the routing facts (so the linter can reason about it like a rule). */
  when: unknown;
  allows(plan: Plan): boolean;
  /** Completes "Rule 'x' sends <who> to <plan> (e.g. …); <why>. Fix: <fix>." */
  who: string;
  why: string;
  fix: string;
  /** Points at the step with this channel when present, else at the plan. */
  step?: Channel;
}

export const B2G_SINCE = '2019-04-01';
export const B2B_EHF_FROM = '2027-01-01';
export const B2B_PDF_UNTIL = '2030-01-01';

const first = (plan: Plan): Channel | undefined => plan.steps[0]?.channel;
const has = (plan: Plan, channel: Channel): boolean => plan.steps.some((step) => step.channel === channel);

const kindIs = (kind: string) => ({ '===': [{ var: 'customer.kind' }, kind] });
const issuedFrom = (date: string) => ({ '>=': [{ var: 'issueDate' }, date] });
const norwegianBusiness = [kindIs('business'), { '===': [{ var: 'customer.country' }, 'NO'] }];
const peppolReady = { and: [{ var: 'peppol.registered' }, { var: 'peppol.acceptsDocumentType' }] };

export const DELIVERY_RULES: readonly DeliveryRule[] = [
  {
    rule: 'FF-POLICY-B2G',
    severity: 'fatal',
    when: { and: [kindIs('public'), issuedFrom(B2G_SINCE)] },
    allows: (plan) => first(plan) === 'peppol',
    who: 'a public-sector buyer',
    why: `public bodies must receive EHF over Peppol (mandatory since ${B2G_SINCE}, FOR-2019-04-01-444)`,
    fix: 'put peppol first, or add a rule before this one: when: {"===": [{"var": "customer.kind"}, "public"]}, then: [peppol]',
  },
  {
    rule: 'FF-POLICY-B2G-FALLBACK',
    severity: 'warning',
    when: { and: [kindIs('public'), issuedFrom(B2G_SINCE)] },
    // Only when peppol is first: otherwise FF-POLICY-B2G already says it.
    allows: (plan) => first(plan) !== 'peppol' || plan.steps.every((step) => step.channel === 'peppol'),
    who: 'a public-sector buyer',
    why: 'public bodies accept EHF only, so an e-mail or print fallback sends a document they must refuse',
    fix: 'let the plan be [peppol] and a failed Peppol delivery reach support',
  },
  {
    rule: 'FF-POLICY-B2B-2027',
    severity: 'fatal',
    when: { and: [...norwegianBusiness, peppolReady, issuedFrom(B2B_EHF_FROM)] },
    allows: (plan) => first(plan) === 'peppol',
    who: 'a Norwegian business registered for EHF in Peppol/ELMA',
    why: `from ${B2B_EHF_FROM} such buyers must receive EHF (Bookkeeping Act amendment, seed 003)`,
    fix: 'put peppol first for buyers with peppol.registered and peppol.acceptsDocumentType',
  },
  {
    rule: 'FF-POLICY-PDF-2030',
    severity: 'warning',
    when: { and: [...norwegianBusiness, { '!': peppolReady }, issuedFrom(B2B_PDF_UNTIL)] },
    allows: (plan) => first(plan) === 'peppol',
    who: 'a Norwegian business not registered in ELMA',
    why: `PDF by e-mail to unregistered businesses is allowed until ${B2B_PDF_UNTIL} only; from then every bookkeeping-obligated business must receive e-invoices (seed 003)`,
    fix: `route invoices issued from ${B2B_PDF_UNTIL} with peppol first (keep email, print as fallbacks)`,
  },
  {
    rule: 'FF-RULE-PLAN-EFAKTURA',
    severity: 'fatal',
    when: { '!==': [{ var: 'customer.kind' }, 'consumer'] },
    allows: (plan) => !has(plan, 'efaktura'),
    who: 'a business or public buyer',
    why: "eFaktura reaches consumers' online banks and Vipps only; businesses and public bodies receive EHF over Peppol",
    fix: 'add {"===": [{"var": "customer.kind"}, "consumer"]} to the condition, or use peppol',
    step: 'efaktura',
  },
  {
    rule: 'FF-RULE-PLAN-EFAKTURA-CREDIT-NOTE',
    severity: 'warning',
    when: { '===': [{ var: 'documentType' }, 'creditNote'] },
    allows: (plan) => !has(plan, 'efaktura'),
    who: 'a credit note',
    why: 'eFaktura carries invoices only (MPS: "only document type INVOICE"; Vipps eFaktura takes no credit notes), so that step always fails',
    fix: 'send consumer credit notes to [email, print] with a rule before this one',
    step: 'efaktura',
  },
];
