/**
 * Peppol participant identifiers as we write them: `<ICD>:<id>` (the value of scheme iso6523-actorid-upis),
 * e.g. `0192:987654325`. Peppol Policy for use of Identifiers 4.x: the ICD is 4 digits, values are compared
 * case-insensitively; for ICD 0192 the id is a valid Norwegian organisation number (PEPPOL-COMMON-R041).
 */
import { isValid as isValidOrgnr } from '../../identifiers/no/orgnr.js';
import { PARTICIPANT_SCHEME } from './billing-identifiers.js';

export type ParticipantCheck = { ok: true; participant: string } | { ok: false; reason: string };

/** The canonical `<ICD>:<id>`, or why not; accepts the `iso6523-actorid-upis::` prefix integrators copy from the SMP. */
export function checkParticipant(text: string): ParticipantCheck {
  const value = text.trim().replace(new RegExp(`^${PARTICIPANT_SCHEME}::`, 'i'), '');
  const match = /^(\d{4}):([A-Za-z0-9][A-Za-z0-9._-]{0,99})$/.exec(value);
  if (!match) return { ok: false, reason: 'a participant id is <ICD>:<id>, e.g. 0192:987654325' };
  const [, icd, id] = match;
  if (icd === '0192' && !isValidOrgnr(id)) return { ok: false, reason: `${id} is not a valid Norwegian organisation number (ICD 0192, PEPPOL-COMMON-R041)` };
  return { ok: true, participant: `${icd}:${id}` };
}
