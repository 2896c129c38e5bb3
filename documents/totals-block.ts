/**
 * The VAT breakdown per category and rate (BG-23) beside the document totals (BG-22), ending in the amount to pay.
 * Values are taken from `Totals` as the EN 16931 calculation produced them; this module only presents them.
 * Exemption reasons (BT-120) are printed because a VAT-free sale must say why (merverdiavgiftsloven / bokføringsforskriften § 5-1-1).
 */
import { rgb } from 'pdf-lib';
import type { AllowanceCharge, Invoice, Totals, VatBreakdown } from '../invoice/model.js';
import { formatAmount, formatPercent } from './norwegian-format.js';
import { LEFT, RIGHT, type PageFlow } from './page-flow.js';
import { MUTED } from './typesetter.js';

const BAND = rgb(0.93, 0.94, 0.96);
const RULE = rgb(0.75, 0.76, 0.78);
const SIZE = 9;
const ROW = 13.5;

const VAT_LEFT = LEFT + 4;
const VAT_BASE_RIGHT = 215;
const VAT_AMOUNT_RIGHT = 285;
const TOTALS_LEFT = 330;
const TOTALS_RIGHT = RIGHT - 4;

/** How a reader names each UNCL 5305 category; a standard-rated line is named by its rate alone. */
function vatLabel(vat: VatBreakdown): string {
  switch (vat.category) {
    case 'S': return formatPercent(vat.rate);
    case 'Z': return '0 % (nullsats)';
    case 'E': return 'Fritatt for mva';
    case 'AE': return 'Omvendt avgiftsplikt';
    case 'K': return 'Levering innen EØS';
    case 'G': return 'Eksport, fritatt';
    case 'O': return 'Utenfor mva-området';
  }
}

export function drawTotals(flow: PageFlow, invoice: Invoice, totals: Totals, floor: number): void {
  const ts = flow.ts;
  const reasons = totals.vatBreakdown
    .filter((vat) => vat.exemptionReason || vat.exemptionReasonCode)
    .flatMap((vat) => ts.wrap(`${vatLabel(vat)}: ${vat.exemptionReason ?? vat.exemptionReasonCode}`, 7.5, VAT_AMOUNT_RIGHT - VAT_LEFT, 'italic'));
  const vatHeight = (2 + totals.vatBreakdown.length) * ROW + reasons.length * 10;

  const rows = totalRows(invoice, totals);
  const totalsHeight = rows.length * ROW + 30;
  // Air between the last table row and the totals, so the breakdown does not read as another line.
  flow.y -= 16;
  flow.ensure(Math.max(vatHeight, totalsHeight) + 10, floor);

  const { page } = flow;
  const top = flow.y;

  // VAT breakdown (BG-23), one row per category and rate.
  let y = top;
  ts.draw(page, 'Merverdiavgift', VAT_LEFT, y, { size: SIZE, style: 'bold' });
  y -= ROW;
  ts.draw(page, 'Sats', VAT_LEFT, y, { size: 7.5, color: MUTED });
  ts.draw(page, 'Grunnlag', VAT_BASE_RIGHT, y, { size: 7.5, color: MUTED, align: 'right' });
  ts.draw(page, 'MVA', VAT_AMOUNT_RIGHT, y, { size: 7.5, color: MUTED, align: 'right' });
  page.drawLine({ start: { x: LEFT, y: y - 4 }, end: { x: VAT_AMOUNT_RIGHT + 4, y: y - 4 }, thickness: 0.4, color: RULE });
  for (const vat of totals.vatBreakdown) {
    y -= ROW;
    ts.draw(page, vatLabel(vat), VAT_LEFT, y, { size: SIZE, maxWidth: 100 });
    ts.draw(page, formatAmount(vat.taxableAmount), VAT_BASE_RIGHT, y, { size: SIZE, align: 'right' });
    ts.draw(page, formatAmount(vat.taxAmount), VAT_AMOUNT_RIGHT, y, { size: SIZE, align: 'right' });
  }
  y -= 4;
  for (const line of reasons) {
    y -= 10;
    ts.draw(page, line, VAT_LEFT, y, { size: 7.5, style: 'italic', color: MUTED });
  }
  const vatBottom = y;

  // Document totals (BG-22).
  y = top;
  for (const row of rows) {
    ts.draw(page, row.label, TOTALS_LEFT, y, { size: SIZE, color: row.muted ? MUTED : undefined, maxWidth: 150 });
    ts.draw(page, row.value, TOTALS_RIGHT, y, { size: SIZE, align: 'right' });
    y -= ROW;
  }
  y -= 4;
  const payable = invoice.documentType === 'creditNote' ? `Til gode ${invoice.currency}` : `Å betale ${invoice.currency}`;
  page.drawRectangle({ x: TOTALS_LEFT - 6, y: y - 9, width: RIGHT - TOTALS_LEFT + 6, height: 22, color: BAND });
  ts.draw(page, payable, TOTALS_LEFT, y, { size: 11, style: 'bold' });
  ts.draw(page, formatAmount(totals.payableAmount), TOTALS_RIGHT, y, { size: 11, style: 'bold', align: 'right' });
  const totalsBottom = y - 9;

  flow.y = Math.min(vatBottom, totalsBottom) - 24;
}

interface Row { label: string; value: string; muted?: boolean }

function totalRows(invoice: Invoice, totals: Totals): Row[] {
  const rows: Row[] = [];
  const documentLevel = invoice.allowanceCharges ?? [];
  const hasAdjustments = documentLevel.length > 0 || totals.allowanceTotalAmount !== 0 || totals.chargeTotalAmount !== 0;
  if (hasAdjustments) {
    rows.push({ label: 'Sum linjer', value: formatAmount(totals.lineExtensionAmount) });
    // Each allowance or charge by its reason (BT-97/BT-104) where the ERP gave them; else the totals BT-107/BT-108.
    if (documentLevel.length > 0) {
      for (const ac of documentLevel) rows.push({ label: adjustmentLabel(ac), value: formatAmount(ac.charge ? ac.amount : -ac.amount), muted: true });
    } else {
      if (totals.allowanceTotalAmount !== 0) rows.push({ label: 'Rabatt', value: formatAmount(-totals.allowanceTotalAmount), muted: true });
      if (totals.chargeTotalAmount !== 0) rows.push({ label: 'Tillegg', value: formatAmount(totals.chargeTotalAmount), muted: true });
    }
  }
  rows.push({ label: 'Sum eks. mva', value: formatAmount(totals.taxExclusiveAmount) });
  rows.push({ label: 'Merverdiavgift', value: formatAmount(totals.taxAmount) });
  rows.push({ label: 'Sum inkl. mva', value: formatAmount(totals.taxInclusiveAmount) });
  if (totals.prepaidAmount !== 0) rows.push({ label: 'Forskuddsbetalt', value: formatAmount(-totals.prepaidAmount), muted: true });
  if (totals.roundingAmount !== 0) rows.push({ label: 'Øreavrunding', value: formatAmount(totals.roundingAmount), muted: true });
  return rows;
}

function adjustmentLabel(ac: AllowanceCharge): string {
  const kind = ac.charge ? 'Tillegg' : 'Rabatt';
  const percent = ac.percentage !== undefined ? ` ${formatPercent(ac.percentage)}` : '';
  return ac.reason ? `${kind}${percent}: ${ac.reason}` : `${kind}${percent}`;
}
