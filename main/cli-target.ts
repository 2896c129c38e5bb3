/**
 * Where the CLI's API commands (`keys`, `peppol import`) reach the running product, and as whom: FAKTURAFLYT_URL
 * (default http://127.0.0.1:$PORT, PORT 3000) with FAKTURAFLYT_API_KEY, else the admin key the first start kept in
 * DATA_DIR/api-key (DATA_DIR default .data).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { API_KEY_FILE } from './first-admin-key.js';

export async function cliTarget(env: Readonly<Record<string, string | undefined>>): Promise<{ base: string; key?: string }> {
  const base = (env.FAKTURAFLYT_URL || `http://127.0.0.1:${env.PORT || '3000'}`).replace(/\/+$/, '');
  const key = env.FAKTURAFLYT_API_KEY || (await readFile(join(env.DATA_DIR || '.data', API_KEY_FILE), 'utf8').then((t) => t.trim(), () => undefined));
  return { base, key };
}
