/**
 * The official EHF rules (UBL XSD, CEN EN 16931, Peppol BIS 3.0) as the validation pipeline's last layer, on worker
 * threads (ehf/validation-pool.ts) that have loaded the rules before this resolves: the API's event loop never runs
 * SaxonJS, and every core validates.
 */
import { startValidationPool, type ValidationPoolOptions } from '../ehf/validation-pool.js';
import type { OfficialValidator } from '../validation/submission.js';

/** An OfficialValidator (call it with the UBL XML) that must be closed on shutdown. */
export type OfficialValidatorService = OfficialValidator & {
  /** Lets accepted documents finish, then ends the worker threads: after the API and the Temporal worker stopped. */
  close(): Promise<void>;
};

export async function officialValidator(
  log: (message: string, meta?: Record<string, unknown>) => void,
  options: ValidationPoolOptions = {},
): Promise<OfficialValidatorService> {
  const pool = await startValidationPool(options);
  log('validation: official rules loaded', { versions: pool.versions, workers: pool.workers });
  // Still a plain OfficialValidator, so that callers which only validate need no change.
  const validate: OfficialValidator = async (xml) => (await pool.validate(xml)).issues;
  return Object.assign(validate, { close: () => pool.close() });
}
