-- An eFaktura agreement is per supplier and branch, or for all the supplier's branches (seed 001: Visma's
-- "Send the consumer-supplier agreement for current branch only"; AGREEMENT_SCOPE=branch|all).
-- branch '*' = every branch of the supplier; rows from before this migration keep that meaning.
ALTER TABLE agreements ADD COLUMN branch text NOT NULL DEFAULT '*';
ALTER TABLE agreements DROP CONSTRAINT agreements_pkey;
ALTER TABLE agreements ADD PRIMARY KEY (supplier_org, branch, customer_number);

-- Receipts are looked up by a provider's message id when its delivery report arrives (SMS gateway callback).
CREATE INDEX deliveries_message_id ON deliveries ((receipt #>> '{details,messageId}'));
