-- The product works as a role of its own without superuser rights (issue 9 item 4): the user of DATABASE_URL owns the
-- schema and runs these migrations (and the archive purge); the running product's connections take the role
-- fakturaflyt_app (archive/database.ts), which may add to the archive but never change or remove a document, nor
-- delete an invoice or its history — whatever a bug or an injected query tries. Roles are per cluster: an
-- administrator may create fakturaflyt_app beforehand, else the migrating user needs CREATEROLE.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fakturaflyt_app') THEN
    CREATE ROLE fakturaflyt_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT pg_has_role(current_user, 'fakturaflyt_app', 'MEMBER') THEN
    EXECUTE format('GRANT fakturaflyt_app TO %I', current_user);
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO fakturaflyt_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO fakturaflyt_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO fakturaflyt_app;
-- Tables of later migrations, created by the same owner, get the same.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO fakturaflyt_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO fakturaflyt_app;

-- Append-only for the product; the triggers of 001 and 009 stand behind this for the owner.
REVOKE UPDATE, DELETE, TRUNCATE ON documents FROM fakturaflyt_app;
REVOKE DELETE, TRUNCATE ON invoices, invoice_events, deliveries FROM fakturaflyt_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations, archive_purges FROM fakturaflyt_app;
