/** Payment instructions (BG-16, BG-17): means code, KID, account number, IBAN, BIC. */
import * as iban from '../../identifiers/no/iban.js';
import * as kid from '../../identifiers/no/kid.js';
import * as kontonr from '../../identifiers/no/kontonr.js';
import { issue, type ValidationIssue } from '../../validation/issue.js';
import { UNCL_4461 } from '../code-lists.js';
import type { Invoice, Totals } from '../model.js';
import { rejection } from './identifiers.js';

/** UNCL 4461 codes that need a payee account (BR-61): 30 credit transfer, 58 SEPA credit transfer. */
const CREDIT_TRANSFER = new Set(['30', '58']);
/** Direct debit needs a mandate reference (PEPPOL-EN16931-R061), which the model does not carry. */
const DIRECT_DEBIT = new Set(['49', '59']);

const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

export function paymentIssues(invoice: Invoice, totals: Totals): ValidationIssue[] {
  const payment = invoice.payment;
  const issues: ValidationIssue[] = [];
  const hasAccount = payment?.account !== undefined || payment?.iban !== undefined || payment?.otherAccount !== undefined;

  if (!payment || (!hasAccount && payment.kid === undefined)) {
    // With a credit transfer code, BR-61 below says the same as a fatal.
    const creditTransfer = payment?.meansCode !== undefined && CREDIT_TRANSFER.has(payment.meansCode);
    if (invoice.documentType === 'invoice' && totals.payableAmount > 0 && !creditTransfer) {
      issues.push(issue('FF-PAYMENT-ACCOUNT', 'No account to pay to: give payment.account or payment.iban.', '/payment', 'warning'));
    }
    if (!payment) return issues;
  }

  if (payment.meansCode !== undefined) {
    if (!UNCL_4461.has(payment.meansCode)) {
      issues.push(issue('BR-CL-16', `Payment means code "${payment.meansCode}" is not in UNCL 4461.`, '/payment/meansCode'));
    } else if (CREDIT_TRANSFER.has(payment.meansCode) && !hasAccount) {
      issues.push(issue('BR-61', 'A credit transfer (means code 30 or 58) needs the payment account (account or iban).', '/payment/account'));
    } else if (DIRECT_DEBIT.has(payment.meansCode)) {
      issues.push(issue('PEPPOL-EN16931-R061', 'Direct debit needs a mandate reference, which this API does not support yet.', '/payment/meansCode'));
    }
  }

  if (payment.kid !== undefined) {
    // FF-KID: MOD10 or MOD11, whichever the payee's account is set up for (DOMAIN.md §2.3).
    const reason = rejection(() => kid.validate(payment.kid!));
    if (reason !== undefined) issues.push(issue('FF-KID', `KID "${payment.kid}" is not valid: ${reason}.`, '/payment/kid'));
    if (!hasAccount) issues.push(issue('FF-PAYMENT-ACCOUNT', 'A KID needs the account it is paid to (payment.account or payment.iban).', '/payment/account'));
  }

  if (payment.account !== undefined) {
    const reason = rejection(() => kontonr.validate(payment.account!));
    if (reason !== undefined) issues.push(issue('FF-KONTONR', `Account number "${payment.account}" is not valid: ${reason}.`, '/payment/account'));
  }

  if (payment.iban !== undefined) {
    const norwegian = payment.iban.toUpperCase().startsWith('NO');
    // A Norwegian IBAN carries a kontonummer whose own MOD11 must hold as well as the IBAN's MOD 97-10.
    const reason = rejection(() => (norwegian ? kontonr.fromIban(payment.iban!) : iban.validate(payment.iban!)));
    if (reason !== undefined) issues.push(issue('FF-IBAN', `IBAN "${payment.iban}" is not valid: ${reason}.`, '/payment/iban'));
    else if (norwegian && payment.account !== undefined && kontonr.fromIban(payment.iban) !== kontonr.compact(payment.account)) {
      issues.push(issue('FF-IBAN', `IBAN ${payment.iban} and account ${payment.account} are different accounts.`, '/payment/iban'));
    }
  }

  if (payment.bic !== undefined && !BIC.test(payment.bic)) {
    // A warning: Norwegian domestic payments do not use the BIC, and Peppol does not check it.
    issues.push(issue('FF-BIC', `BIC "${payment.bic}" must be 8 or 11 letters and digits (ISO 9362).`, '/payment/bic', 'warning'));
  }
  return issues;
}
