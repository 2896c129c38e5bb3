/**
 * Where our arithmetic checks and the official rules meet (issue 8). An official rule id means what the official rule
 * means: we report PEPPOL-EN16931-R120, BR-S-08, BR-CO-17, … only where that rule, as the official Schematron
 * evaluates it on the sender's own figures and with its tolerance, fails. A figure the official rule accepts but that
 * differs from our exact computation (totals.ts) is a stricter check of ours, with an FF- id (docs/our-rules.md).
 *
 * Tolerances, from the rule texts (CEN EN 16931 1.3.16 and Peppol BIS Billing 3.0.21 Schematron):
 * - PEPPOL-EN16931-R120: line net = quantity × (price ÷ base quantity) + charges − allowances, ± 0.02 (u:slack);
 * - PEPPOL-EN16931-R040: allowance/charge amount = base amount × percentage ÷ 100, ± 0.02 (u:slack);
 * - BR-S-08: taxable amount = Σ line nets + charges − allowances of the rate, strictly within ± 1;
 * - BR-CO-17: |tax| = round2(|taxable| × rate ÷ 100), strictly within ± 1;
 * - BR-CO-10…16, BR-Z-08, BR-E-08, BR-AE-08, BR-IC-08, BR-G-08, BR-O-08: exact, over the document's own figures.
 */
import type { Severity } from '../../validation/issue.js';
import { Decimal } from '../money.js';

/**
 * Whose figures the document carries. `sent`: the sender's EHF XML travels unchanged, so its figures are what the
 * buyer books and pays; `replaced`: we build the document from our computation (our JSON), so a figure the ERP
 * supplied that differs from ours would make the invoice disagree with the ERP's ledger.
 */
export type SenderFigures = 'sent' | 'replaced';

/** Within `slack` inclusive, as Peppol's u:slack (R040, R120). */
export function withinSlack(value: number | Decimal, expected: Decimal, slack: number): boolean {
  return Decimal.of(value).minus(expected).abs().compare(slack) <= 0;
}

/** Strictly within one unit of the document currency, as BR-S-08 and BR-CO-17 test it. */
export function withinOne(value: number | Decimal, expected: Decimal | number): boolean {
  return Decimal.of(value).minus(Decimal.of(expected)).abs().compare(1) < 0;
}

/**
 * A stricter check of ours on a figure the official rules accept. When the sender's figures travel as they are the
 * document is still consistent and payable as written, so it is a warning; when we would replace them, the invoice
 * would say another amount than the ERP booked, which makes it unusable for the ERP, so it is fatal.
 */
export function stricterSeverity(figures: SenderFigures): Severity {
  return figures === 'sent' ? 'warning' : 'fatal';
}
