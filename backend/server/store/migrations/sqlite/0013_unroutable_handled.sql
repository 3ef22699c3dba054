-- +goose Up
-- An admin marks an unroutable text handled (and may undo it): who and
-- when, NULL while nobody has. The text itself is kept either way; the
-- Admin section lists the open ones and counts the handled ones.
ALTER TABLE unroutable_messages ADD COLUMN handled_by TEXT REFERENCES users(id);
ALTER TABLE unroutable_messages ADD COLUMN handled_at TEXT;
-- The Admin section reads a campaign's open texts every 30 s in each
-- admin's app, and counts its handled ones: each by an index of its own
-- kind, so neither walks the other's rows (handled ones only accumulate).
-- unroutable_campaign stays for textbankd unroutable --campaign (both kinds).
CREATE INDEX unroutable_open ON unroutable_messages(campaign_id, received_at) WHERE handled_at IS NULL;
CREATE INDEX unroutable_handled ON unroutable_messages(campaign_id, received_at) WHERE handled_at IS NOT NULL;
