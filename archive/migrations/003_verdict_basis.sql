-- What the validation verdict stored with an invoice (its warnings) was given by: our checks' build and the official
-- rule-set versions (validation/verdict-basis.ts). The workflow's validate stage reuses a verdict of the same basis on
-- the same document instead of validating it a second time; NULL (older rows) means validate again.
ALTER TABLE invoices ADD COLUMN verdict_basis text;
