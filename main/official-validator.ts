/** The official EHF rules (UBL XSD, CEN EN 16931, Peppol BIS 3.0) as the validation pipeline's last layer, warmed up at start. */
import { validateUblOfficial, warmUpOfficialValidation } from '../ehf/official-validation.js';
import type { OfficialValidator } from '../validation/submission.js';

export async function officialValidator(log: (message: string, meta?: Record<string, unknown>) => void): Promise<OfficialValidator> {
  const versions = warmUpOfficialValidation();
  log('validation: official rules loaded', { versions });
  return async (xml) => (await validateUblOfficial(xml)).issues;
}
