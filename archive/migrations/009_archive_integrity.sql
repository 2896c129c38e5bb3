-- Archive integrity (issue 9 item 4): every document carries its SHA-256 (checked against its content here, not only
-- by the writer) and a place in a hash chain per supplier, so a changed, removed or reordered document shows in
-- `fakturaflyt archive verify`. chain_hash = sha256(prev_hash | seq | invoice id | kind | document sha256).
-- Immutability and retention (bokføringsloven § 13: 5 years after the end of the financial year) are enforced by
-- triggers: documents never change, and nothing of an invoice is deleted before its retain_until.
ALTER TABLE documents ADD COLUMN supplier_org text;
ALTER TABLE documents ADD COLUMN chain_seq bigint;
ALTER TABLE documents ADD COLUMN prev_hash text;
ALTER TABLE documents ADD COLUMN chain_hash text;

CREATE FUNCTION archive_chain_link(prev text, seq bigint, invoice_id text, kind text, sha text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(prev || '|' || seq || '|' || invoice_id || '|' || kind || '|' || sha, 'UTF8')), 'hex')
$$;

CREATE FUNCTION documents_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  IF NEW.sha256 <> encode(sha256(NEW.content), 'hex') THEN
    RAISE EXCEPTION 'document of invoice % (%): sha256 does not match its content', NEW.invoice_id, NEW.kind;
  END IF;
  SELECT supplier_org INTO NEW.supplier_org FROM invoices WHERE id = NEW.invoice_id;
  -- One writer per supplier chain at a time; the lock ends with the transaction.
  PERFORM pg_advisory_xact_lock(hashtext('fakturaflyt-archive-chain:' || NEW.supplier_org));
  SELECT chain_seq, chain_hash INTO last_seq, last_hash FROM documents WHERE supplier_org = NEW.supplier_org ORDER BY chain_seq DESC LIMIT 1;
  NEW.chain_seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
  NEW.chain_hash := archive_chain_link(NEW.prev_hash, NEW.chain_seq, NEW.invoice_id, NEW.kind, NEW.sha256);
  RETURN NEW;
END $$;

-- The documents archived before this migration join their supplier's chain in the order they were stored.
ALTER TABLE documents DISABLE TRIGGER documents_immutable;
DO $$
DECLARE
  d record;
  last_hash text;
  last_supplier text := NULL;
  seq bigint;
BEGIN
  FOR d IN SELECT doc.id, doc.invoice_id, doc.kind, doc.sha256, inv.supplier_org FROM documents doc JOIN invoices inv ON inv.id = doc.invoice_id ORDER BY inv.supplier_org, doc.id LOOP
    IF last_supplier IS DISTINCT FROM d.supplier_org THEN
      last_supplier := d.supplier_org; seq := 0; last_hash := repeat('0', 64);
    END IF;
    seq := seq + 1;
    UPDATE documents SET supplier_org = d.supplier_org, chain_seq = seq, prev_hash = last_hash,
      chain_hash = archive_chain_link(last_hash, seq, d.invoice_id, d.kind, d.sha256) WHERE id = d.id;
    last_hash := archive_chain_link(last_hash, seq, d.invoice_id, d.kind, d.sha256);
  END LOOP;
END $$;
ALTER TABLE documents ENABLE TRIGGER documents_immutable;

ALTER TABLE documents ALTER COLUMN supplier_org SET NOT NULL;
ALTER TABLE documents ALTER COLUMN chain_seq SET NOT NULL;
ALTER TABLE documents ALTER COLUMN prev_hash SET NOT NULL;
ALTER TABLE documents ALTER COLUMN chain_hash SET NOT NULL;
CREATE UNIQUE INDEX documents_chain ON documents (supplier_org, chain_seq);
CREATE TRIGGER documents_chain BEFORE INSERT ON documents FOR EACH ROW EXECUTE FUNCTION documents_chain();

-- Nothing of an invoice goes before its retention date; after it, only by `fakturaflyt archive purge` (logged).
CREATE FUNCTION invoices_retained() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.retain_until >= current_date THEN
    RAISE EXCEPTION 'invoice % must be kept until % (bokføringsloven § 13)', OLD.id, OLD.retain_until;
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER invoices_retained BEFORE DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_retained();

-- What left the archive, and when: the purge keeps its own record (no personal data: ids, hashes, dates).
CREATE TABLE archive_purges (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  before_date date NOT NULL,
  invoices    integer NOT NULL,
  documents   integer NOT NULL,
  detail      jsonb NOT NULL DEFAULT '[]'
);
