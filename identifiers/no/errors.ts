/**
 * Typed validation failures shared by every identifier module, after python-stdnum's
 * `stdnum/exceptions.py`. Callers branch on `code` (or `instanceof`) to say *why* a value was
 * rejected; the message never repeats the value, because a fødselsnummer is personal data and
 * error messages end up in logs.
 */
export type InvalidIdentifierCode = 'InvalidFormat' | 'InvalidLength' | 'InvalidChecksum' | 'InvalidComponent';

export abstract class InvalidIdentifier extends Error {
  abstract readonly code: InvalidIdentifierCode;
}

/** Characters or separators that are not allowed, or a required part is missing. */
export class InvalidFormat extends InvalidIdentifier {
  readonly code = 'InvalidFormat';
  override readonly name = 'InvalidFormat';
}

/** The right characters, but the wrong number of them. */
export class InvalidLength extends InvalidIdentifier {
  readonly code = 'InvalidLength';
  override readonly name = 'InvalidLength';
}

/** The check digit(s) do not match the rest of the number. */
export class InvalidChecksum extends InvalidIdentifier {
  readonly code = 'InvalidChecksum';
  override readonly name = 'InvalidChecksum';
}

/** The checksum holds but a part means nothing: an impossible date, an unknown century, an IBAN from another country. */
export class InvalidComponent extends InvalidIdentifier {
  readonly code = 'InvalidComponent';
  override readonly name = 'InvalidComponent';
}

/** The `isValid` of every module: only our own rejections mean "not valid"; anything else is a bug and propagates. */
export function passes(validate: () => unknown): boolean {
  try {
    validate();
    return true;
  } catch (error) {
    if (error instanceof InvalidIdentifier) return false;
    throw error;
  }
}
