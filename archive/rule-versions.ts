/** The audit trail of routing rules: every version that was active, who and when, the diff; every rejected candidate. */
import type { Db } from './database.js';

export interface RuleVersionRow {
  version: string;
  files: { name: string; sha256: string; text: string }[];
  author: string | null;
  diff: string | null;
  firstActive: string;
  lastActive: string;
}

export async function recordActivatedVersion(db: Db, v: { version: string; files: unknown; author: string; diff: string }): Promise<void> {
  await db.query(
    `INSERT INTO rule_set_versions (version, files, author, diff) VALUES ($1, $2, $3, $4)
     ON CONFLICT (version) DO UPDATE SET last_active = now()`,
    [v.version, JSON.stringify(v.files), v.author, v.diff],
  );
}

export async function recordRejectedCandidate(db: Db, r: { version: string; issues: unknown; author: string }): Promise<void> {
  await db.query('INSERT INTO rule_set_rejections (candidate, issues, author) VALUES ($1, $2, $3)', [r.version, JSON.stringify(r.issues), r.author]);
}

export async function listRuleVersions(db: Db, limit = 20): Promise<RuleVersionRow[]> {
  const r = await db.query('SELECT version, files, author, diff, first_active, last_active FROM rule_set_versions ORDER BY last_active DESC LIMIT $1', [limit]);
  return r.rows.map((row) => ({
    version: row.version,
    files: row.files,
    author: row.author,
    diff: row.diff,
    firstActive: new Date(row.first_active).toISOString(),
    lastActive: new Date(row.last_active).toISOString(),
  }));
}

export async function latestRuleVersion(db: Db): Promise<RuleVersionRow | undefined> {
  return (await listRuleVersions(db, 1))[0];
}

/** Routing facts of recently archived invoices: the cases a what-if runs a candidate rule set against. */
export async function recentRoutingFacts(db: Db, limit: number): Promise<{ id: string; facts: unknown }[]> {
  const r = await db.query('SELECT id, routing_facts FROM invoices WHERE routing_facts IS NOT NULL ORDER BY created_at DESC LIMIT $1', [limit]);
  return r.rows.map((row) => ({ id: row.id, facts: row.routing_facts }));
}
