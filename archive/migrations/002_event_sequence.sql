-- Timeline events carry the workflow's sequence number, so a retried recordProgress activity writes nothing twice.
ALTER TABLE invoice_events ADD COLUMN seq integer;
CREATE UNIQUE INDEX invoice_events_seq ON invoice_events (invoice_id, seq) WHERE seq IS NOT NULL;
