/**
 * How numbers, dates and Norwegian identifiers are written on a document a Norwegian reader gets.
 *
 * Conventions (Språkrådet, "Skrivemåten av tall"; bank practice for account numbers):
 * - amounts: space between thousands groups, decimal comma, always two decimals: 1234.5 → `1 234,50`
 * - percentages: space before the sign: 25 → `25 %`, 11.11 → `11,11 %`
 * - dates: `dd.mm.yyyy`: 2026-02-15 → `15.02.2026`
 * - bank account (BBAN, 11 digits) grouped 4.2.5: 86011117947 → `8601.11.17947`
 * - organisation number grouped 3 3 3: 123456785 → `123 456 785`
 *
 * The thousands separator is a plain space, not U+00A0: the text stays searchable and comparable
 * as people type it (`1 234,50`), and the PDF never wraps inside an amount because amounts are
 * drawn in fixed cells. The minus is ASCII `-` because U+2212 is not in WinAnsi (the standard PDF fonts).
 */

/** Formats a money amount with two decimals, e.g. -1234.5 → `-1 234,50`. */
export function formatAmount(amount: number): string {
  return formatDecimal(amount, 2, 2);
}

/** Formats a quantity with as many decimals as it has (up to 4), e.g. 1.5 → `1,5`, 1000 → `1 000`. */
export function formatQuantity(quantity: number): string {
  return formatDecimal(quantity, 0, 4);
}

/** Formats a VAT rate, e.g. 25 → `25 %`, 11.11 → `11,11 %`. */
export function formatPercent(rate: number): string {
  return `${formatDecimal(rate, 0, 2)} %`;
}

/** Formats an ISO date (YYYY-MM-DD) as `dd.mm.yyyy`; anything else is returned as given rather than guessed at. */
export function formatDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : isoDate;
}

/** Formats an 11-digit Norwegian account number 4.2.5 (`8601.11.17947`); other input is returned compacted but ungrouped. */
export function formatAccountNumber(account: string): string {
  const digits = account.replace(/[\s.]/g, '');
  return /^\d{11}$/.test(digits) ? `${digits.slice(0, 4)}.${digits.slice(4, 6)}.${digits.slice(6)}` : digits;
}

/** Formats a 9-digit organisation number 3 3 3 (`123 456 785`); other input is returned as given. */
export function formatOrgNumber(orgNumber: string): string {
  const digits = orgNumber.replace(/\s/g, '');
  return /^\d{9}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : orgNumber;
}

/** Formats an IBAN in groups of four, as printed on paper (ISO 13616 "paper format"): `NO93 8601 1117 947`. */
export function formatIban(iban: string): string {
  return iban.replace(/\s/g, '').toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

function formatDecimal(value: number, minDecimals: number, maxDecimals: number): string {
  if (!Number.isFinite(value)) return String(value);
  const factor = 10 ** maxDecimals;
  // Round half away from zero on the decimal value people see; EPSILON keeps 1.005 from becoming 1.00.
  const rounded = Math.round((Math.abs(value) + Number.EPSILON) * factor) / factor;
  let [whole, fraction = ''] = rounded.toFixed(maxDecimals).split('.');
  fraction = fraction.replace(/0+$/, '').padEnd(minDecimals, '0');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const sign = value < 0 && rounded !== 0 ? '-' : '';
  return fraction ? `${sign}${grouped},${fraction}` : `${sign}${grouped}`;
}
