-- Peppol transmissions through an access point and what the network answers about them (DOMAIN.md §4):
-- the transport outcome, the Message Level Status/Response (AP, AB, RE) and the buyer's Invoice Responses
-- (AB, IP, UQ, CA, RE, AP, PD). Polled from the access point's status endpoint or pushed to POST /v1/peppol/responses.

-- One row per SBDH instance id we handed to an access point: how a response finds its invoice, and what the
-- background poller still asks the access point about.
CREATE TABLE peppol_transmissions (
  sbdh_instance_id text PRIMARY KEY,            -- derived from the invoice (channels/peppol/sbdh-instance-id.ts)
  invoice_id       text NOT NULL REFERENCES invoices (id),
  access_point     text NOT NULL,               -- outbox | phoss-ap
  transport_status text NOT NULL,               -- pending | sending | failed | sent | rejected | permanently_failed | not_serviced
  as4_message_id   text,
  mls_status       text,                        -- NULL (not expected) | pending | AP | AB | RE | not_received (window over)
  poll_until       timestamptz,                 -- the poller asks for the MLS until then
  last_polled_at   timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX peppol_transmissions_invoice ON peppol_transmissions (invoice_id);
CREATE INDEX peppol_transmissions_polling ON peppol_transmissions (poll_until) WHERE mls_status = 'pending';

-- What came back, per invoice. `dedupe_key` makes a repeated poll or a re-sent callback a no-op:
-- transport and MLS are once per transmission (the MLS spec: at most one per business document); Invoice
-- Responses may repeat a code, so their key includes the time and the reason.
CREATE TABLE peppol_responses (
  id               bigserial PRIMARY KEY,
  invoice_id       text NOT NULL REFERENCES invoices (id),
  sbdh_instance_id text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('transport', 'mls', 'invoice_response')),
  code             text NOT NULL,
  reason           text,
  at               timestamptz NOT NULL,
  source           text NOT NULL,               -- access-point | callback
  dedupe_key       text NOT NULL UNIQUE,
  received_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX peppol_responses_invoice ON peppol_responses (invoice_id, at, id);
