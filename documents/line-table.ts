/**
 * The invoice lines as a table: description, quantity with unit, unit price, VAT rate and line net amount.
 * The header row repeats on every page the table continues on, so a page read alone still makes sense.
 * Line net amounts come from `Totals.lineNetAmounts` (EN 16931 BT-131 as the calculation rounded them),
 * never recomputed here, so the PDF and the EHF XML cannot disagree.
 */
import { rgb } from 'pdf-lib';
import type { AllowanceCharge, Invoice, InvoiceLine, Totals } from '../invoice/model.js';
import { lineNetAmount } from '../invoice/totals.js';
import { formatAmount, formatDate, formatPercent, formatQuantity } from './norwegian-format.js';
import { LEFT, RIGHT, type PageFlow } from './page-flow.js';
import { MUTED } from './typesetter.js';
import { unitLabel } from './unit-labels.js';

const HEADER_FILL = rgb(0.93, 0.94, 0.96);
const RULE = rgb(0.85, 0.86, 0.88);
const SIZE = 9;
const DETAIL_SIZE = 7.5;
const LEADING = 11.5;
const DETAIL_LEADING = 9.5;

/** Right edges of the numeric columns; the description takes the rest. */
const COLUMNS = { description: LEFT + 4, quantity: 348, price: 425, vat: 470, amount: RIGHT - 4 };
const DESCRIPTION_WIDTH = 235;

export function drawLineTable(flow: PageFlow, invoice: Invoice, totals: Totals): void {
  drawHeader(flow);
  invoice.lines.forEach((line, index) => {
    const description = flow.ts.wrap(line.description, SIZE, DESCRIPTION_WIDTH, 'bold');
    const details = detailLines(line).flatMap((text) => flow.ts.wrap(text, DETAIL_SIZE, DESCRIPTION_WIDTH, 'italic'));
    const height = description.length * LEADING + details.length * DETAIL_LEADING + 6;
    if (flow.ensure(height)) drawHeader(flow);

    const { page, ts } = flow;
    const first = flow.y;
    const unit = unitLabel(line.unitCode);
    ts.draw(page, `${formatQuantity(line.quantity)}${unit ? ` ${unit}` : ''}`, COLUMNS.quantity, first, { size: SIZE, align: 'right' });
    const per = line.baseQuantity !== undefined && line.baseQuantity !== 1 ? ` / ${formatQuantity(line.baseQuantity)}` : '';
    ts.draw(page, `${formatAmount(line.unitPrice)}${per}`, COLUMNS.price, first, { size: SIZE, align: 'right' });
    ts.draw(page, formatPercent(line.vatRate), COLUMNS.vat, first, { size: SIZE, align: 'right' });
    ts.draw(page, formatAmount(totals.lineNetAmounts[index] ?? lineNetAmount(line)), COLUMNS.amount, first, { size: SIZE, align: 'right' });

    for (const text of description) {
      ts.draw(page, text, COLUMNS.description, flow.y, { size: SIZE });
      flow.y -= LEADING;
    }
    for (const text of details) {
      ts.draw(page, text, COLUMNS.description, flow.y + 1.5, { size: DETAIL_SIZE, style: 'italic', color: MUTED });
      flow.y -= DETAIL_LEADING;
    }
    const ruleY = flow.y + LEADING - 4;
    page.drawLine({ start: { x: LEFT, y: ruleY }, end: { x: RIGHT, y: ruleY }, thickness: 0.4, color: RULE });
    flow.y -= 6;
  });
}

function drawHeader(flow: PageFlow): void {
  const { page, ts } = flow;
  const y = flow.y;
  page.drawRectangle({ x: LEFT, y: y - 6, width: RIGHT - LEFT, height: 18, color: HEADER_FILL });
  const style = { size: 8, style: 'bold' as const, color: MUTED };
  ts.draw(page, 'Beskrivelse', COLUMNS.description, y, style);
  ts.draw(page, 'Antall', COLUMNS.quantity, y, { ...style, align: 'right' });
  ts.draw(page, 'Pris', COLUMNS.price, y, { ...style, align: 'right' });
  ts.draw(page, 'MVA', COLUMNS.vat, y, { ...style, align: 'right' });
  ts.draw(page, 'Beløp', COLUMNS.amount, y, { ...style, align: 'right' });
  flow.y -= 24;
}

/** Smaller lines under the item name: what a reader needs to check the line (BT-154, BG-26, BG-27/28, BT-127). */
function detailLines(line: InvoiceLine): string[] {
  const details: string[] = [];
  if (line.itemDescription) details.push(line.itemDescription);
  if (line.sellerItemId) details.push(`Varenr. ${line.sellerItemId}`);
  if (line.period?.start || line.period?.end) {
    details.push(`Periode ${line.period.start ? formatDate(line.period.start) : ''}–${line.period.end ? formatDate(line.period.end) : ''}`);
  }
  for (const ac of line.allowanceCharges ?? []) details.push(allowanceChargeText(ac));
  if (line.note) details.push(line.note);
  return details;
}

function allowanceChargeText(ac: AllowanceCharge): string {
  const kind = ac.charge ? 'Tillegg' : 'Rabatt';
  const percent = ac.percentage !== undefined ? ` ${formatPercent(ac.percentage)}` : '';
  const reason = ac.reason ? ` (${ac.reason})` : '';
  return `${kind}${percent}${reason}: ${ac.charge ? '' : '-'}${formatAmount(ac.amount)}`;
}
