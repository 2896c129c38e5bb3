import pg from 'pg';

export type Db = pg.Pool;

// NUMERIC comes back as a string by default; our amounts fit a double exactly at 2 decimals.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
// DATE stays a plain YYYY-MM-DD string: invoices speak in calendar dates, not instants.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export function connect(databaseUrl: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  // An idle connection dropped by the server (restart, shutdown) is replaced on the next query; it must not crash the process.
  pool.on('error', (err) => console.warn(`[fakturaflyt] archive: idle connection closed (${err.message})`));
  return pool;
}
