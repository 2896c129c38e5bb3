-- The archive: invoices, their documents (immutable), deliveries with receipts, and the invoice timeline.
-- Kept for the legal period: bokføringsloven § 13 (5 years after the end of the financial year).

CREATE TABLE invoices (
  id               text PRIMARY KEY,            -- natural key <supplier org>:<document type>:<number> = workflow id
  supplier_org     text NOT NULL,
  document_type    text NOT NULL,
  invoice_number   text NOT NULL,
  issue_date       date NOT NULL,
  customer_kind    text NOT NULL,
  customer_number  text,
  buyer_org        text,
  branch           text NOT NULL DEFAULT '',
  payable_amount   numeric(18, 2) NOT NULL,
  currency         text NOT NULL,
  source_sha256    text NOT NULL,               -- what the ERP sent: same hash → same invoice, other hash → conflict
  idempotency_key  text UNIQUE,
  status           text NOT NULL,
  stage            text NOT NULL,
  channel          text,
  rule_id          text,
  rules_version    text,
  plan             jsonb,
  routing_facts    jsonb,                       -- no personal data: flags only (routing/facts.ts)
  warnings         jsonb NOT NULL DEFAULT '[]',
  failure          jsonb,
  retain_until     date NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoices_number ON invoices (invoice_number);
CREATE INDEX invoices_supplier ON invoices (supplier_org, created_at DESC);
CREATE INDEX invoices_customer ON invoices (supplier_org, customer_number);
CREATE INDEX invoices_status ON invoices (status, created_at DESC);

CREATE TABLE documents (
  id           bigserial PRIMARY KEY,
  invoice_id   text NOT NULL REFERENCES invoices (id),
  kind         text NOT NULL,                   -- source | model | ehf | pdf
  media_type   text NOT NULL,
  sha256       text NOT NULL,
  content      bytea NOT NULL,
  retain_until date NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (invoice_id, kind)
);

-- Archived documents are immutable; deletion only after the retention period.
CREATE FUNCTION documents_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'archived documents are immutable (document %)', OLD.id;
  END IF;
  IF OLD.retain_until >= current_date THEN
    RAISE EXCEPTION 'document % must be kept until % (bokføringsloven § 13)', OLD.id, OLD.retain_until;
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER documents_immutable BEFORE UPDATE OR DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION documents_immutable();

CREATE TABLE deliveries (
  delivery_key text PRIMARY KEY,                -- <invoice id>:<channel>: a retried activity finds its own delivery
  invoice_id   text NOT NULL REFERENCES invoices (id),
  channel      text NOT NULL,
  status       text NOT NULL,                   -- delivered
  receipt      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_invoice ON deliveries (invoice_id);

CREATE TABLE invoice_events (
  id         bigserial PRIMARY KEY,
  invoice_id text NOT NULL REFERENCES invoices (id),
  at         timestamptz NOT NULL DEFAULT now(),
  type       text NOT NULL,
  detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX invoice_events_invoice ON invoice_events (invoice_id, id);

-- eFaktura agreements are between a supplier (and branch) and a consumer, not an invoice.
CREATE TABLE agreements (
  supplier_org    text NOT NULL,
  customer_number text NOT NULL,
  status          text NOT NULL,                -- requested | accepted | rejected
  via             text,                         -- sms | email (for requests)
  source          text,                         -- provider | support | api
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (supplier_org, customer_number)
);

-- Local Peppol channel: the participant registry a real SML/SMP lookup would fill as a cache.
CREATE TABLE peppol_participants (
  identifier     text PRIMARY KEY,              -- e.g. 0192:987654325
  name           text NOT NULL DEFAULT '',
  document_types text[] NOT NULL,               -- invoice, creditNote
  updated_at     timestamptz NOT NULL DEFAULT now()
);
-- The OpenPEPPOL Norwegian example buyer, so a fresh install can carry an EHF invoice end to end.
INSERT INTO peppol_participants (identifier, name, document_types)
VALUES ('0192:987654325', 'OpenPEPPOL NO example buyer', ARRAY['invoice', 'creditNote']);

-- Local eFaktura sandbox provider: consumers a user or a test can play (PUT /v1/sandbox/efaktura/consumers/…).
CREATE TABLE efaktura_consumers (
  customer_number text PRIMARY KEY,
  consent         boolean NOT NULL,             -- "Ja takk til alle"
  blocked         boolean NOT NULL DEFAULT false,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Outbox of the local channels (and of agreement requests): what a real provider would have received.
CREATE TABLE outbox (
  id           bigserial PRIMARY KEY,
  channel      text NOT NULL,                   -- peppol | efaktura | efaktura-agreement | email | print
  message_key  text NOT NULL UNIQUE,
  invoice_id   text REFERENCES invoices (id),
  media_type   text NOT NULL,
  filename     text NOT NULL,
  content      bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rule_set_versions (
  version      text PRIMARY KEY,
  files        jsonb NOT NULL,
  author       text,
  diff         text,
  first_active timestamptz NOT NULL DEFAULT now(),
  last_active  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE rule_set_rejections (
  id         bigserial PRIMARY KEY,
  candidate  text NOT NULL,
  issues     jsonb NOT NULL,
  author     text,
  at         timestamptz NOT NULL DEFAULT now()
);
