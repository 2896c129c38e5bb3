-- Issue 9, item 3: SMTP is at-least-once. A message the server accepted is sent again when the worker dies before the
-- delivery is archived and the activity completes (its retry cannot know). Each send over SMTP is noted here before
-- the transaction ('sending') and marked 'sent' with the server's answer the moment it comes, before anything else:
-- a retry that finds 'sent' reports that send instead of sending again; one that finds 'sending' sends again and says
-- the recipient may have it twice (same Message-ID). Kept with the invoice, purged with it.
CREATE TABLE mail_sends (
  message_key  text PRIMARY KEY,
  invoice_id   text NOT NULL REFERENCES invoices (id),
  state        text NOT NULL CHECK (state IN ('sending', 'sent')),
  attempts     integer NOT NULL DEFAULT 1,
  details      jsonb,
  started_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz
);
CREATE INDEX mail_sends_invoice ON mail_sends (invoice_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON mail_sends TO fakturaflyt_app;
