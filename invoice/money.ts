/**
 * Money arithmetic for EN 16931: every rounding of an amount happens here, nowhere else.
 *
 * EN 16931 amounts (BT-106…BT-117, BT-131) carry at most two decimals (BR-DEC-*), and BR-CO-17 rounds the VAT of
 * each category "to two decimals". We round half away from zero, the commercial rounding Norwegian accounting
 * uses (1.005 → 1.01, −1.005 → −1.01). Doubles cannot hold 1.005 exactly (it is 1.00499999999999989…), so a
 * value is first cut to 15 significant digits — the precision a double guarantees — which removes such
 * artefacts before the half is decided. Sums of amounts run in integer cents, where addition is exact.
 *
 * Examples (also test vectors): `round2(1.005)` → 1.01, `round2(-2.675)` → -2.68, `round2(0.1 + 0.2)` → 0.3,
 * `percentOf(1460.5, 25)` → 365.13.
 */

/** Rounds half away from zero to `decimals` places (0–10), robust against binary float artefacts. */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot round ${value}`);
  const factor = 10 ** decimals;
  // 15 significant digits is what a double represents faithfully; beyond that are artefacts such as 100.49999…
  const shifted = Number((Math.abs(value) * factor).toPrecision(15));
  const rounded = (Math.sign(value) * Math.round(shifted)) / factor;
  return rounded === 0 ? 0 : rounded; // no -0 in documents
}

/** Rounds to two decimals, half away from zero (BR-CO-17, BR-DEC-*). */
export function round2(value: number): number {
  return roundHalfAwayFromZero(value, 2);
}

/** The amount in integer cents (øre); the amount is rounded to two decimals first. */
export function toCents(amount: number): number {
  return Math.round(round2(amount) * 100);
}

export function fromCents(cents: number): number {
  const amount = cents / 100;
  return amount === 0 ? 0 : amount;
}

/** Exact sum of amounts: each is rounded to two decimals, then they are added in cents. */
export function sumAmounts(amounts: readonly number[]): number {
  return fromCents(amounts.reduce((sum, amount) => sum + toCents(amount), 0));
}

/** base × percent / 100, rounded to two decimals (BR-CO-17 for VAT, PEPPOL-EN16931-R040 for allowances). */
export function percentOf(base: number, percent: number): number {
  return round2((base * percent) / 100);
}

/** Two amounts are the same money when they are equal to the cent. */
export function sameAmount(a: number, b: number): boolean {
  return toCents(a) === toCents(b);
}

/** Number of decimals as written in the shortest round-trip representation (BR-DEC-* allow at most 2). */
export function decimalsOf(value: number): number {
  const text = plainDecimal(value);
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/** An amount as UBL writes it: always two decimals, e.g. `1656.25`, `-3.00`, `0.00`. */
export function formatAmount(amount: number): string {
  return round2(amount).toFixed(2);
}

/**
 * A number in plain decimal notation (never `1e-7`), as short as round-trips; used for quantities, prices and
 * percentages, which EN 16931 does not limit to two decimals.
 */
export function plainDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot format ${value}`);
  const normalised = Number(value.toPrecision(15)); // drop float tails such as 0.30000000000000004
  const text = String(normalised === 0 ? 0 : normalised);
  if (!/e/i.test(text)) return text;
  const [mantissa, exponent] = text.toLowerCase().split('e') as [string, string];
  const negative = mantissa.startsWith('-');
  const [whole, fraction = ''] = (negative ? mantissa.slice(1) : mantissa).split('.') as [string, string?];
  const digits = whole + fraction;
  const pointAt = whole.length + Number(exponent);
  let result: string;
  if (pointAt <= 0) result = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) result = digits + '0'.repeat(pointAt - digits.length);
  else result = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return (negative ? '-' : '') + result;
}

/** A unit price as UBL writes it: at least two decimals, more only when the price has them (BT-146 is not limited). */
export function formatPrice(price: number): string {
  return decimalsOf(price) <= 2 ? formatAmount(price) : plainDecimal(price);
}
