/**
 * Money and quantity arithmetic for EN 16931: every sum, product, quotient and rounding of an amount, a price, a
 * quantity or a percentage happens here, in one exact decimal representation (`Decimal`), never in binary floating
 * point. Issue 8: a price discount derived as 1000 − 999.999 in doubles is 0.000999999999976353, which
 * PEPPOL-EN16931-R046 (net price = gross price − discount, exactly) rejects; as decimals it is 0.001.
 *
 * The model keeps numbers as the ERP wrote them (JSON numbers, or the XML's decimal text read with Number). A number
 * enters `Decimal` by its decimal notation cut to 15 significant digits, the precision a double holds faithfully, so
 * the decimal the ERP wrote comes back exactly (999.999 stays 999.999, not 999.9989999999999781721…) and a float tail
 * such as 0.30000000000000004 is dropped. Results leave as numbers with at most that many digits, so a number taken
 * from here and put back in is the same decimal.
 *
 * EN 16931 amounts (BT-106…BT-117, BT-131) carry at most two decimals (BR-DEC-*), and BR-CO-17 rounds the VAT of
 * each category "to two decimals". We round half away from zero, the commercial rounding Norwegian accounting uses
 * (1.005 → 1.01, −1.005 → −1.01).
 *
 * Examples (also test vectors): `round2(1.005)` → 1.01, `round2(-2.675)` → -2.68, `round2(0.1 + 0.2)` → 0.3,
 * `percentOf(1460.5, 25)` → 365.13, `Decimal.of(1000).minus(999.999).toString()` → `'0.001'`.
 */

const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const TEN = 10n;
const pow10 = (n: number): bigint => TEN ** BigInt(n);
const absBig = (n: bigint): bigint => (n < 0n ? -n : n);

/** An exact decimal number: `units` × 10^−`scale`. Immutable. */
export class Decimal {
  private constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  static readonly ZERO = new Decimal(0n, 0);

  /** A decimal from a number (its shortest notation at 15 significant digits), a decimal string, or a Decimal. */
  static of(value: Decimal | number | string): Decimal {
    if (value instanceof Decimal) return value;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new RangeError(`cannot use ${value} as a decimal`);
      return Decimal.parse(String(Number(value.toPrecision(15))));
    }
    return Decimal.parse(value.trim());
  }

  private static parse(text: string): Decimal {
    const match = DECIMAL_TEXT.exec(text);
    if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new RangeError(`"${text}" is not a decimal number`);
    const [, sign, whole = '', fraction = '', exponent = '0'] = match;
    let units = BigInt(`${whole}${fraction}` || '0');
    let scale = fraction.length - Number(exponent);
    if (scale < 0) {
      units *= pow10(-scale);
      scale = 0;
    }
    return new Decimal(sign === '-' ? -units : units, scale);
  }

  private aligned(other: Decimal): [bigint, bigint, number] {
    const scale = Math.max(this.scale, other.scale);
    return [this.units * pow10(scale - this.scale), other.units * pow10(scale - other.scale), scale];
  }

  plus(other: Decimal | number): Decimal {
    const [a, b, scale] = this.aligned(Decimal.of(other));
    return new Decimal(a + b, scale);
  }

  minus(other: Decimal | number): Decimal {
    return this.plus(Decimal.of(other).negated());
  }

  times(other: Decimal | number): Decimal {
    const b = Decimal.of(other);
    return new Decimal(this.units * b.units, this.scale + b.scale);
  }

  /** this ÷ other, rounded half away from zero to `decimals` places. */
  dividedBy(other: Decimal | number, decimals: number): Decimal {
    const b = Decimal.of(other);
    if (b.units === 0n) throw new RangeError('division by zero');
    // (u1 / 10^s1) / (u2 / 10^s2) = u1 · 10^s2 / (u2 · 10^s1); scaled by 10^decimals before the integer division.
    const numerator = this.units * pow10(b.scale + decimals);
    const denominator = b.units * pow10(this.scale);
    return new Decimal(divideHalfAwayFromZero(numerator, denominator), decimals);
  }

  /** Rounded half away from zero to `decimals` places. */
  round(decimals: number): Decimal {
    if (decimals >= this.scale) return new Decimal(this.units * pow10(decimals - this.scale), decimals);
    return new Decimal(divideHalfAwayFromZero(this.units, pow10(this.scale - decimals)), decimals);
  }

  negated(): Decimal {
    return new Decimal(-this.units, this.scale);
  }

  abs(): Decimal {
    return this.units < 0n ? this.negated() : this;
  }

  compare(other: Decimal | number): -1 | 0 | 1 {
    const [a, b] = this.aligned(Decimal.of(other));
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(other: Decimal | number): boolean {
    return this.compare(other) === 0;
  }

  isZero(): boolean {
    return this.units === 0n;
  }

  /** Decimals as written without trailing zeros: 1.50 has one. */
  get decimals(): number {
    return this.trimmed().scale;
  }

  private trimmed(): Decimal {
    let { units, scale } = this;
    while (scale > 0 && units % TEN === 0n) {
      units /= TEN;
      scale--;
    }
    return new Decimal(units, scale);
  }

  /** Plain decimal notation, as short as the value allows (never `1e-7`, never `-0`). */
  toString(): string {
    const { units, scale } = this.trimmed();
    const digits = absBig(units).toString();
    const text = scale === 0 ? digits : `${digits.padStart(scale + 1, '0').slice(0, -scale)}.${digits.padStart(scale + 1, '0').slice(-scale)}`;
    return units < 0n ? `-${text}` : text;
  }

  /** Rounded half away from zero and written with exactly `decimals` decimals, e.g. `3.00`. */
  toFixed(decimals: number): string {
    const { units } = this.round(decimals);
    const digits = absBig(units).toString().padStart(decimals + 1, '0');
    const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
    return units < 0n ? `-${text}` : text;
  }

  toNumber(): number {
    const value = Number(this.toString());
    return value === 0 ? 0 : value; // no -0 in documents
  }
}

/** n ÷ d for integers, rounded half away from zero. */
function divideHalfAwayFromZero(n: bigint, d: bigint): bigint {
  const quotient = n / d; // truncates toward zero
  const remainder = absBig(n % d);
  if (remainder * 2n < absBig(d)) return quotient;
  return (n < 0n) !== (d < 0n) ? quotient - 1n : quotient + 1n;
}

/** Rounds half away from zero to `decimals` places (0–10). */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  return Decimal.of(value).round(decimals).toNumber();
}

/** Rounds to two decimals, half away from zero (BR-CO-17, BR-DEC-*). */
export function round2(value: number): number {
  return roundHalfAwayFromZero(value, 2);
}

/** The amount in integer cents (øre); the amount is rounded to two decimals first. */
export function toCents(amount: number): number {
  return Number(Decimal.of(amount).round(2).units);
}

export function fromCents(cents: number): number {
  return Decimal.of(cents).dividedBy(100, 2).toNumber();
}

/** Exact sum of amounts: each is rounded to two decimals, then they are added. */
export function sumAmounts(amounts: readonly (number | Decimal)[]): number {
  return amounts.reduce<Decimal>((sum, amount) => sum.plus(Decimal.of(amount).round(2)), Decimal.ZERO).toNumber();
}

/** base × percent / 100, rounded to two decimals (BR-CO-17 for VAT, PEPPOL-EN16931-R040 for allowances). */
export function percentOf(base: number, percent: number): number {
  return Decimal.of(base).times(percent).dividedBy(100, 2).toNumber();
}

/** quantity × price ÷ base quantity, rounded to two decimals (the priced part of BT-131, PEPPOL-EN16931-R120). */
export function pricedAmount(quantity: number, price: number, baseQuantity: number): number {
  return Decimal.of(quantity).times(price).dividedBy(baseQuantity, 2).toNumber();
}

/** Two amounts are the same money when they are equal to the cent. */
export function sameAmount(a: number, b: number): boolean {
  return Decimal.of(a).round(2).equals(Decimal.of(b).round(2));
}

/** |a − b| exactly, e.g. to compare with an official rule's tolerance. */
export function difference(a: number, b: number): Decimal {
  return Decimal.of(a).minus(b).abs();
}

/** Number of decimals as written in the shortest notation (BR-DEC-* allow at most 2). */
export function decimalsOf(value: number): number {
  return Decimal.of(value).decimals;
}

/** An amount as UBL writes it: always two decimals, e.g. `1656.25`, `-3.00`, `0.00`. */
export function formatAmount(amount: number | Decimal): string {
  const text = Decimal.of(amount).toFixed(2);
  return text === '-0.00' ? '0.00' : text;
}

/**
 * A number in plain decimal notation (never `1e-7`), as short as round-trips; used for quantities, prices and
 * percentages, which EN 16931 does not limit to two decimals.
 */
export function plainDecimal(value: number | Decimal): string {
  return Decimal.of(value).toString();
}

/** A unit price as UBL writes it: at least two decimals, more only when the price has them (BT-146 is not limited). */
export function formatPrice(price: number | Decimal): string {
  const decimal = Decimal.of(price);
  return decimal.decimals <= 2 ? formatAmount(decimal) : decimal.toString();
}
