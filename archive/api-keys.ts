/**
 * API keys (issue 9, DESIGN.md "Access"): `ffk_<id>_<secret>`, shown once when created; the archive keeps the id,
 * the role, the suppliers an erp key acts for, and a SHA-256 of the key. Revoked keys stay listed, unusable.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from './database.js';

export const ROLES = ['erp', 'ops', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  id: string;
  role: Role;
  suppliers: string[];
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface NewApiKey {
  role: Role;
  suppliers?: string[];
  label?: string;
}

const KEY = /^ffk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Creates a key and returns it with its secret: the only time the secret exists outside the caller. */
export async function createApiKey(db: Db, input: NewApiKey): Promise<ApiKey & { key: string }> {
  const suppliers = [...new Set(input.suppliers ?? [])];
  if (input.role === 'erp' && suppliers.length === 0) throw new RangeError('an erp key needs at least one supplier organisation number');
  if (input.role !== 'erp' && suppliers.length > 0) throw new RangeError('only erp keys are bound to suppliers');
  const id = randomBytes(6).toString('hex');
  const key = `ffk_${id}_${randomBytes(32).toString('base64url')}`;
  const r = await db.query(
    'INSERT INTO api_keys (id, secret_sha256, role, suppliers, label) VALUES ($1, $2, $3, $4, $5) RETURNING *',
    [id, digest(key), input.role, suppliers, input.label ?? ''],
  );
  return { ...toKey(r.rows[0]), key };
}

/** The key's record if the key is genuine and not revoked. */
export async function verifyApiKey(db: Db, key: string): Promise<ApiKey | undefined> {
  const match = KEY.exec(key);
  if (!match) return undefined;
  const r = await db.query('SELECT * FROM api_keys WHERE id = $1 AND revoked_at IS NULL', [match[1]]);
  const row = r.rows[0];
  if (!row) return undefined;
  const expected = Buffer.from(row.secret_sha256, 'hex');
  if (!timingSafeEqual(expected, Buffer.from(digest(key), 'hex'))) return undefined;
  return toKey(row);
}

export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const r = await db.query('SELECT * FROM api_keys ORDER BY created_at, id');
  return r.rows.map(toKey);
}

/** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
export async function revokeApiKey(db: Db, id: string): Promise<boolean> {
  const r = await db.query('UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1', [id]);
  return (r.rowCount ?? 0) > 0;
}

export async function hasActiveAdminKey(db: Db): Promise<boolean> {
  const r = await db.query("SELECT 1 FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1");
  return (r.rowCount ?? 0) > 0;
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function toKey(row: { id: string; role: Role; suppliers: string[]; label: string; created_at: Date; revoked_at: Date | null }): ApiKey {
  return {
    id: row.id,
    role: row.role,
    suppliers: row.suppliers,
    label: row.label,
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
  };
}
