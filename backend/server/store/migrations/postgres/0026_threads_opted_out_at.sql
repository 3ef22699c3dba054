-- +goose Up
-- When a thread was marked opted out (its number's opt-out's time), kept
-- while opted_out is 1: the Admin section lists a campaign's opt-outs,
-- newest first, a page at a time, from threads_opted_out alone (no sort,
-- no read of the campaign's other conversations). Set by SetOptedOutSQL;
-- a thread opted in again keeps its old time, which no list reads.
ALTER TABLE threads ADD COLUMN opted_out_at TEXT;
UPDATE threads SET opted_out_at = (SELECT o.created_at FROM opt_outs o
    WHERE o.organization_id = threads.organization_id AND o.phone = threads.contact_phone)
    WHERE opted_out = 1;
-- A conversation opted out with no opt-out row (none should be) still lists.
UPDATE threads SET opted_out_at = created_at WHERE opted_out = 1 AND opted_out_at IS NULL;
-- Partial: a send, a sync or a hand-out never writes it (a thread is made
-- and updated opted in; only an opt-out adds an entry).
CREATE INDEX threads_opted_out ON threads(campaign_id, opted_out_at, id) WHERE opted_out = 1;
