-- The PostgreSQL cache of the real receiver lookup (PEPPOL_LOOKUP=sml): one answer per participant and document
-- type, with its own expiry (PEPPOL_LOOKUP_TTL for registered, PEPPOL_NOT_FOUND_TTL for "no"). Technical failures
-- are never stored. The local registry (peppol_participants) stays a table of its own: it is what a person entered
-- and never expires, while these rows are copies of the network's answers that must (see channels/peppol/lookup-cache.ts).
CREATE TABLE peppol_lookup_cache (
  participant   text NOT NULL,                  -- <ICD>:<id>, lowercased (identifier values compare case-insensitively)
  document_type text NOT NULL,                  -- invoice | creditNote
  status        text NOT NULL,                  -- registered | not_registered | document_type_not_registered
  result        jsonb NOT NULL,                 -- the PeppolLookupResult as the network gave it
  checked_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  PRIMARY KEY (participant, document_type)
);
CREATE INDEX peppol_lookup_cache_expires ON peppol_lookup_cache (expires_at);
