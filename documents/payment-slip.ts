/**
 * The payment slip area ("giro") at the bottom of a printed or e-mailed invoice: what a Norwegian payer
 * types into the online bank. Its fields follow the bank giro form (BBS/Nets giroblankett): payment
 * information, "Betalt av" (payer), "Betalt til" (payee), and the bottom band with
 * "Kundeidentifikasjon (KID)", "Kroner", "Øre" and "Til konto".
 *
 * Credit notes get no slip: there is nothing to pay, and KID cannot be used on credit notes (DOMAIN.md §1.4).
 */
import { rgb, type PDFPage } from 'pdf-lib';
import type { Invoice, Totals } from '../invoice/model.js';
import { formatAccountNumber, formatAmount, formatDate, formatIban } from './norwegian-format.js';
import { addressLines } from './postal-address.js';
import { MUTED, type Typesetter } from './typesetter.js';

export interface PaymentSlip {
  invoiceNumber: string;
  customerNumber?: string;
  kid?: string;
  /** Display form: BBAN grouped 4.2.5, else the IBAN in paper format. */
  account: string;
  accountIsIban: boolean;
  bic?: string;
  amount: number;
  currency: string;
  dueDate?: string;
  payee: { name: string; addressLines: string[] };
  payer: { name: string; addressLines: string[] };
}

/** Height the slip takes at the bottom of a page, from its cut line down to the bottom edge of its last field. */
export const PAYMENT_SLIP_HEIGHT = 218;

const TINT = rgb(0.995, 0.945, 0.85);
const FRAME = rgb(0.86, 0.66, 0.4);
const WHITE = rgb(1, 1, 1);

/** The slip for an invoice, or `undefined` when it must not or cannot have one (credit note, nothing to pay, no account). */
export function paymentSlipFor(invoice: Invoice, totals: Totals): PaymentSlip | undefined {
  if (invoice.documentType === 'creditNote') return undefined;
  if (!(totals.payableAmount > 0)) return undefined;
  const payment = invoice.payment;
  const account = payment?.account ? formatAccountNumber(payment.account) : payment?.iban ? formatIban(payment.iban) : undefined;
  if (!account) return undefined;
  return {
    invoiceNumber: invoice.invoiceNumber,
    customerNumber: invoice.buyer.customerNumber,
    kid: payment?.kid?.replace(/\s/g, '') || undefined,
    account,
    accountIsIban: !payment?.account,
    bic: payment?.bic,
    amount: totals.payableAmount,
    currency: invoice.currency,
    dueDate: invoice.dueDate,
    // BG-10: the payee differs from the seller only when a factoring company or similar collects.
    payee: invoice.payee
      ? { name: invoice.payee.name, addressLines: [] }
      : { name: invoice.supplier.name, addressLines: addressLines(invoice.supplier.address) },
    payer: { name: invoice.buyer.name, addressLines: addressLines(invoice.buyer.address) },
  };
}

/** Draws the slip with its bottom edge at `bottom`, between `left` and `right`. */
export function drawPaymentSlip(page: PDFPage, ts: Typesetter, slip: PaymentSlip, area: { left: number; right: number; bottom: number }): void {
  const { left, right, bottom } = area;
  const width = right - left;
  const top = bottom + PAYMENT_SLIP_HEIGHT;

  // Cut line across the whole sheet: on paper the slip is torn off or kept apart from the specification.
  page.drawLine({ start: { x: 0, y: top }, end: { x: page.getWidth(), y: top }, thickness: 0.6, color: MUTED, dashArray: [4, 3] });

  const headerY = top - 22;
  ts.draw(page, 'GIRO', left, headerY, { size: 14, style: 'bold' });
  ts.draw(page, 'Betalingsinformasjon', left + 52, headerY, { size: 9, color: MUTED });
  if (slip.dueDate) {
    ts.draw(page, `Betalingsfrist ${formatDate(slip.dueDate)}`, right, headerY, { size: 10, style: 'bold', align: 'right' });
  }

  const bandHeight = 54;
  const boxTop = top - 34;
  page.drawRectangle({ x: left, y: bottom, width, height: boxTop - bottom, color: TINT, borderColor: FRAME, borderWidth: 0.8 });

  // Upper half: what the payment is for (left), who pays and who receives (right, white fields as on the form).
  const half = left + width / 2;
  const innerTop = boxTop - 14;
  const info: Array<[string, string]> = [
    ['Fakturanummer', slip.invoiceNumber],
    ...(slip.customerNumber ? [['Kundenummer', slip.customerNumber] as [string, string]] : []),
    ...(slip.dueDate ? [['Forfallsdato', formatDate(slip.dueDate)] as [string, string]] : []),
    [`Å betale ${slip.currency}`, formatAmount(slip.amount)],
  ];
  let y = innerTop;
  for (const [label, value] of info) {
    ts.draw(page, label, left + 12, y, { size: 9, color: MUTED });
    ts.draw(page, value, half - 24, y, { size: 9, style: 'bold', align: 'right' });
    y -= 13;
  }
  // Without KID the bank cannot match the payment automatically; the payer must then quote the invoice number.
  const hint = slip.kid
    ? 'Bruk KID-nummeret når du betaler.'
    : `Oppgi fakturanummer ${slip.invoiceNumber} som melding når du betaler.`;
  for (const line of ts.wrap(hint, 8.5, half - left - 36, 'italic')) {
    y -= 2;
    ts.draw(page, line, left + 12, y, { size: 8.5, style: 'italic' });
    y -= 10;
  }
  if (slip.accountIsIban && slip.bic) ts.draw(page, `BIC ${slip.bic}`, left + 12, y - 4, { size: 8.5 });

  const fieldsBottom = bottom + bandHeight + 10;
  const fieldHeight = (innerTop + 8 - fieldsBottom - 8) / 2;
  partyField(page, ts, 'Betalt av', slip.payer, half, innerTop + 8, right - 10 - half, fieldHeight);
  partyField(page, ts, 'Betalt til', slip.payee, half, innerTop + 8 - fieldHeight - 8, right - 10 - half, fieldHeight);

  // Bottom band: the fields the payer keys in, in the order of the giro's OCR line.
  page.drawLine({ start: { x: left, y: bottom + bandHeight }, end: { x: right, y: bottom + bandHeight }, thickness: 0.8, color: FRAME });
  const fields: Array<{ label: string; value: string; width: number; align?: 'right' }> = [
    { label: 'Kundeidentifikasjon (KID)', value: slip.kid ?? '', width: 0.36 },
    ...amountFields(slip),
    { label: 'Til konto', value: slip.account, width: slip.accountIsIban ? 0.34 : 0.28 },
  ];
  const fieldY = bottom + 10;
  let x = left + 10;
  const usable = width - 20;
  const gap = 6;
  const totalShare = fields.reduce((sum, f) => sum + f.width, 0);
  for (const field of fields) {
    const w = (usable - gap * (fields.length - 1)) * (field.width / totalShare);
    ts.draw(page, field.label, x, fieldY + 32, { size: 7, color: MUTED });
    page.drawRectangle({ x, y: fieldY, width: w, height: 26, color: WHITE, borderColor: FRAME, borderWidth: 0.6 });
    const valueX = field.align === 'right' ? x + w - 6 : x + 6;
    ts.draw(page, field.value, valueX, fieldY + 9, { size: 11.5, style: 'bold', align: field.align, maxWidth: w - 12 });
    x += w + gap;
  }
}

/** NOK is keyed as kroner and øre, as on the form; another currency gets one amount field naming it. */
function amountFields(slip: PaymentSlip): Array<{ label: string; value: string; width: number; align?: 'right' }> {
  if (slip.currency !== 'NOK') return [{ label: `Beløp ${slip.currency}`, value: formatAmount(slip.amount), width: 0.26, align: 'right' }];
  const [kroner, ore] = formatAmount(slip.amount).split(',');
  return [
    { label: 'Kroner', value: kroner!, width: 0.2, align: 'right' },
    { label: 'Øre', value: ore!, width: 0.08 },
  ];
}

function partyField(
  page: PDFPage,
  ts: Typesetter,
  label: string,
  party: { name: string; addressLines: string[] },
  x: number,
  top: number,
  width: number,
  height: number,
): void {
  ts.draw(page, label, x, top - 7, { size: 7, color: MUTED });
  page.drawRectangle({ x, y: top - height, width, height: height - 10, color: WHITE, borderColor: FRAME, borderWidth: 0.6 });
  const lines = [party.name, ...party.addressLines];
  let y = top - 22;
  for (const [i, line] of lines.entries()) {
    if (y < top - height + 4) break;
    ts.draw(page, line, x + 6, y, { size: 8.5, style: i === 0 ? 'bold' : 'regular', maxWidth: width - 12 });
    y -= 10.5;
  }
}
