/**
 * Auth is on from the first start (issue 9): with no admin key in the archive, the first start makes one, prints it
 * once and keeps it in DATA_DIR/api-key (mode 600) for the CLI and local tools. Later starts read that file.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApiKey, hasActiveAdminKey, verifyApiKey } from '../archive/api-keys.js';
import type { Db } from '../archive/database.js';

export const API_KEY_FILE = 'api-key';

export async function firstAdminKey(db: Db, dataDir: string, print: (line: string) => void): Promise<string | undefined> {
  const file = join(dataDir, API_KEY_FILE);
  const stored = await readFile(file, 'utf8').then((text) => text.trim(), () => undefined);
  if (stored && (await verifyApiKey(db, stored))?.role === 'admin') return stored;
  if (await hasActiveAdminKey(db)) return undefined;
  const { key, id } = await createApiKey(db, { role: 'admin', label: 'first start' });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  print(`api: the first admin key (id ${id}), shown only now and kept in ${file}:\n\n    ${key}\n`);
  return key;
}
