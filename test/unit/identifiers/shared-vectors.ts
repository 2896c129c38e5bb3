import { readFileSync } from 'node:fs';

/** One row of /work/shared/vectors/norwegian-identifiers.json; `expected` is always a string ("true", "null", "15", …). */
export interface Vector {
  readonly group: string;
  readonly input: string;
  readonly expected: string;
  readonly source: string;
}

// The vectors are shared with the Python cross-check and live beside the repository, never copied into it.
const file = new URL('../../../../shared/vectors/norwegian-identifiers.json', import.meta.url);

export const vectors: readonly Vector[] = JSON.parse(readFileSync(file, 'utf8'));
