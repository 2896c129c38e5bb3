/**
 * The payload codec's keys: `PAYLOAD_KEYS=id:base64key,...` (newest first: it encrypts, all decrypt), else the
 * file DATA_DIR/payload-keys in the same format (one per line or comma-separated), generated once with one
 * random key and mode 600, as public-pages/signed-link.ts does for LINK_SECRET. Every process of one
 * installation (API, workers) must hold the same keys: set PAYLOAD_KEYS on each when they do not share DATA_DIR.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PayloadKey } from './payload-codec.js';

export const PAYLOAD_KEYS_FILE = 'payload-keys';

export function parsePayloadKeys(text: string, source = 'PAYLOAD_KEYS'): PayloadKey[] {
  const entries = text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e && !e.startsWith('#'));
  if (entries.length === 0) throw new Error(`${source}: no key (expected id:base64key,...)`);
  return entries.map((entry) => {
    const colon = entry.indexOf(':');
    const id = entry.slice(0, colon);
    if (colon <= 0 || !/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new Error(`${source}: an entry is not id:base64key (id of letters, digits, . _ -)`);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    // Never echo the key material in the error.
    if (key.length !== 32) throw new Error(`${source}: key ${id} is not 32 bytes of base64 (AES-256)`);
    return { id, key };
  });
}

export async function loadPayloadKeys(configured: string | undefined, dataDir: string): Promise<PayloadKey[]> {
  if (configured) return parsePayloadKeys(configured);
  const file = join(dataDir, PAYLOAD_KEYS_FILE);
  try {
    return parsePayloadKeys(await readFile(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
  await mkdir(dirname(file), { recursive: true });
  // `wx`: two processes starting at once on one DATA_DIR keep the first one's key.
  await writeFile(file, `${id}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch((err) => {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  });
  await chmod(file, 0o600);
  return parsePayloadKeys(await readFile(file, 'utf8'), file);
}
