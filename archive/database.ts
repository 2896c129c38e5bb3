import pg from 'pg';

export type Db = pg.Pool;

// NUMERIC comes back as a string by default; our amounts fit a double exactly at 2 decimals.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
// DATE stays a plain YYYY-MM-DD string: invoices speak in calendar dates, not instants.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/** The role the running product works as (migration 010): no superuser rights, the archive append-only. */
export const APP_ROLE = 'fakturaflyt_app';

/**
 * A pool on the archive. With `role`, every connection takes that role from its start (the `role` setting in the
 * startup packet, as `SET ROLE` would): DATABASE_URL's user owns the schema; the product works with less.
 */
export function connect(databaseUrl: string, max = 10, options: { role?: string } = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, ...(options.role ? { options: `-c role=${options.role}` } : {}) });
  // An idle connection dropped by the server (restart, shutdown) is replaced on the next query; it must not crash the process.
  pool.on('error', (err) => console.warn(`[fakturaflyt] archive: idle connection closed (${err.message})`));
  return pool;
}
