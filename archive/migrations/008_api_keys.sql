-- Who may call the API (issue 9): API keys, stored as a SHA-256 of the whole key (keys are 256 random bits, so a
-- fast hash is enough; nothing a key could be guessed from is kept). An erp key acts for the suppliers listed.
CREATE TABLE api_keys (
  id            text PRIMARY KEY,              -- public part of the key, shown by `keys list`
  secret_sha256 text NOT NULL,
  role          text NOT NULL CHECK (role IN ('erp', 'ops', 'support', 'admin')),
  suppliers     text[] NOT NULL DEFAULT '{}',   -- erp: the organisation numbers it may act for
  label         text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  CHECK (role <> 'erp' OR cardinality(suppliers) > 0)
);

-- Idempotency-Keys are per tenant: two suppliers' ERPs may well both send "1".
ALTER TABLE invoices DROP CONSTRAINT invoices_idempotency_key_key;
CREATE UNIQUE INDEX invoices_idempotency_key ON invoices (supplier_org, idempotency_key);
