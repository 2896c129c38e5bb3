/**
 * `fakturaflyt keys …` (DESIGN.md "CLI"): API keys through the running product's API, as its admin.
 *
 *   fakturaflyt keys create --role <erp|ops|support|admin> [--supplier <org>]... [--label <text>]   (the key on the last line)
 *   fakturaflyt keys list
 *   fakturaflyt keys revoke <id>
 *
 * The product is at FAKTURAFLYT_URL (default http://127.0.0.1:$PORT, PORT 3000); the admin key is
 * FAKTURAFLYT_API_KEY, else the one the first start kept in DATA_DIR/api-key (DATA_DIR default .data).
 */
import { parseArgs } from 'node:util';
import type { CliIo } from '../routing/cli.js';
import { cliTarget } from './cli-target.js';
import { API_KEY_FILE } from './first-admin-key.js';

export const KEYS_USAGE = `  fakturaflyt keys create --role <erp|ops|support|admin> [--supplier <org>]... [--label <text>]
  fakturaflyt keys list [--json]
  fakturaflyt keys revoke <id>

Keys are made through the running product (FAKTURAFLYT_URL, default http://127.0.0.1:$PORT) with the admin key in
FAKTURAFLYT_API_KEY or DATA_DIR/api-key. An erp key acts only for the suppliers given with --supplier.
`;

export async function runKeys(argv: readonly string[], io: CliIo, fetchImpl: typeof fetch = fetch): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { role: { type: 'string' }, supplier: { type: 'string', multiple: true }, label: { type: 'string' }, json: { type: 'boolean' } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\nUsage:\n${KEYS_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [, command, id, ...extra] = positionals;
  const { base, key } = await cliTarget(io.env);
  if (!key) {
    io.err(`No admin key: set FAKTURAFLYT_API_KEY, or run from where DATA_DIR/${API_KEY_FILE} is (the product's first start writes it).\n`);
    return 2;
  }
  const call = async (method: string, path: string, body?: unknown) => {
    let res: Response;
    try {
      res = await fetchImpl(base + path, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (error) {
      throw new CliFailure(`cannot reach the product at ${base} (${(error as Error).message}); is it running?`);
    }
    const json = res.status === 204 ? undefined : await res.json().catch(() => undefined);
    if (!res.ok) throw new CliFailure(`${res.status} ${json?.message ?? res.statusText}`);
    return json;
  };
  try {
    if (command === 'create' && id === undefined) {
      const created = await call('POST', '/v1/keys', { role: values.role, suppliers: values.supplier ?? [], label: values.label ?? '' });
      if (values.json) io.out(`${JSON.stringify(created, null, 2)}\n`);
      else io.out(`created ${created.role} key ${created.id}${created.suppliers.length ? ` for ${created.suppliers.join(', ')}` : ''}; it is shown only now:\n${created.key}\n`);
      return 0;
    }
    if (command === 'list' && id === undefined) {
      const { keys } = await call('GET', '/v1/keys');
      if (values.json) io.out(`${JSON.stringify(keys, null, 2)}\n`);
      else for (const k of keys) io.out(`${k.id}  ${k.role.padEnd(7)}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.suppliers.join(',') || '-'}  ${k.label}\n`);
      return 0;
    }
    if (command === 'revoke' && id !== undefined && extra.length === 0) {
      await call('DELETE', `/v1/keys/${encodeURIComponent(id)}`);
      io.out(`revoked ${id}\n`);
      return 0;
    }
  } catch (error) {
    if (!(error instanceof CliFailure)) throw error;
    io.err(`${error.message}\n`);
    return 1;
  }
  io.err(`Unknown command: ${positionals.join(' ')}\n\nUsage:\n${KEYS_USAGE}`);
  return 2;
}

class CliFailure extends Error {}
