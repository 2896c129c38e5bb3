/**
 * Norwegian short labels for the UN/ECE Recommendation 20 unit codes (BT-130) that invoices commonly use.
 * EHF carries the code (`EA`, `HUR`); a reader of the PDF expects `stk`, `t`, `kg`.
 * Codes not listed here are not shown: a bare `C62` or `XPP` means nothing to a consumer.
 */
const LABELS: Record<string, string> = {
  EA: 'stk', C62: 'stk', H87: 'stk', XPP: 'stk', NAR: 'stk', PR: 'par', SET: 'sett', XBX: 'eske', XPK: 'pakke',
  HUR: 't', MIN: 'min', DAY: 'dager', WEE: 'uker', MON: 'mnd', ANN: 'år',
  KGM: 'kg', GRM: 'g', TNE: 'tonn', LTR: 'l', MLT: 'ml', MTQ: 'm³', MTK: 'm²', MTR: 'm', KMT: 'km', CMT: 'cm',
  KWH: 'kWh', MWH: 'MWh', KWT: 'kW', LS: 'rund sum',
};

/** The Norwegian label for a unit code, or `undefined` when it is not worth showing. */
export function unitLabel(unitCode: string | undefined): string | undefined {
  return unitCode === undefined ? undefined : LABELS[unitCode.toUpperCase()];
}
