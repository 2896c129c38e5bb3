/**
 * How a recipient appears wherever people other than the recipient read it (receipts on the invoice, its
 * history, logs): enough for support to recognise it, not enough to use it. `o***@example.no`, `+47 9** ** *12`.
 * A provider's free text (an SMTP 5xx, an SMS gateway error) may echo the recipient: maskText hides what looks
 * like an e-mail address, a phone number, a fødselsnummer or an account number in it.
 */

export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

/** Norwegian mobile numbers keep the country code, the first and the last two digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const national = digits.length > 8 && digits.startsWith('47') ? digits.slice(2) : digits.length > 8 && digits.startsWith('0047') ? digits.slice(4) : digits;
  if (national.length < 4) return '***';
  const prefix = digits.length > national.length ? '+47 ' : '';
  if (national.length === 8) return `${prefix}${national[0]}** ** *${national.slice(6)}`;
  return `${prefix}${national[0]}${'*'.repeat(national.length - 3)}${national.slice(-2)}`;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Runs of 8 or more digits, optionally grouped by spaces, dots or dashes, with an optional +: phone numbers,
// fødselsnummer (11), account numbers (11), also as IBAN tails.
const NUMBER = /\+?\d(?:[ .-]?\d){7,}/g;

export function maskText(text: string): string {
  return text.replace(EMAIL, (m) => maskEmail(m)).replace(NUMBER, (m) => `${m.slice(0, 1)}${m.slice(1, -2).replace(/\d/g, '*')}${m.slice(-2)}`);
}

/** Identifiers that reach a person (an eFaktura identifier or reference): the first and last two characters. */
export function maskIdentifier(identifier: string): string {
  if (identifier.length <= 6) return '***';
  return `${identifier.slice(0, 2)}${'*'.repeat(identifier.length - 4)}${identifier.slice(-2)}`;
}
