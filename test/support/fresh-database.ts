/**
 * A fresh database on the test PostgreSQL, migrated: for the run (global setup) and for a test whose product must
 * not share the run's database, such as one that asserts what the start-up sweep of unstarted invoices does — every
 * other product started in the run sweeps the shared database too and may take the invoice first.
 */
import pg from 'pg';
import { connect } from '../../archive/database.js';
import { migrate } from '../../archive/migrate.js';

export async function freshDatabase(serverUrl: string, databaseName: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName}`);
    await admin.query(`CREATE DATABASE ${databaseName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  const db = connect(url.toString(), 2);
  try {
    await migrate(db);
  } finally {
    await db.end();
  }
  return url.toString();
}
