/**
 * How an agreement decision reaches the invoices: recorded for the supplier, branch and consumer, then signalled to
 * every invoice of that consumer still under way (of that branch, or of all branches). The provider's callback
 * (POST /v1/agreements) and the consumer's own answer on the agreement page both go this one way.
 */
import { recordAgreementDecision } from '../archive/agreements.js';
import { findOpenInvoicesOfConsumer } from '../archive/invoices.js';
import { agreementDecidedSignal, type AgreementDecision } from '../workflows/definitions.js';
import type { ApiDeps } from './deps.js';

export interface AgreementParties {
  supplierOrg: string;
  /** A branch, or '*' for all the supplier's branches. */
  branch: string;
  customerNumber: string;
}

export async function decideAgreement(deps: Pick<ApiDeps, 'db' | 'temporal' | 'log'>, parties: AgreementParties, decision: AgreementDecision, source: string): Promise<string[]> {
  const { supplierOrg, branch, customerNumber } = parties;
  await recordAgreementDecision(deps.db, supplierOrg, branch, customerNumber, decision, source);
  const open = await findOpenInvoicesOfConsumer(deps.db, supplierOrg, customerNumber, branch);
  const reached: string[] = [];
  for (const id of open) {
    try {
      await deps.temporal.workflow.getHandle(id).signal(agreementDecidedSignal, { status: decision, source });
      reached.push(id);
    } catch (err) {
      deps.log('agreement signal failed', { invoiceId: id, error: (err as Error).message });
    }
  }
  return reached;
}
