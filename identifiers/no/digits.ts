/**
 * Weighted-digit arithmetic behind the Norwegian MOD11 check digits (orgnr, kontonr,
 * fødselsnummer K1/K2, KID MOD11), kept in one place so each module states only its weights.
 */

export function isDigits(value: string): boolean {
  return /^[0-9]+$/.test(value);
}

/** Sum of digit × weight, pairing from the left; callers pass exactly as many weights as digits. */
export function weightedSum(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * weights[i]!;
  return sum;
}

/**
 * 11 − (weighted sum mod 11), where 11 becomes 0. The result 10 has no single digit: orgnr,
 * kontonr and fødselsnummer never issue such a payload, while KID MOD11 writes it as `-`.
 */
export function mod11(digits: string, weights: readonly number[]): number {
  return (11 - (weightedSum(digits, weights) % 11)) % 11;
}
