-- +goose Up
-- Where an opt-out came from (store.OptOutReported, ...Contact, ...Blocked,
-- ...Imported): only one a report filed may be undone by an admin without
-- the contact's START; one the contact asked for never. An opt-out renewed
-- by another source takes that source (AddOptOutSQL). Rows from before
-- this column stay NULL, which nothing undoes: a STOP after a report was
-- recorded as a bare renewal then (before 0014, not at all), so a report's
-- opt-out of that time may be the contact's too.
ALTER TABLE opt_outs ADD COLUMN source TEXT;

-- A lift is on the contact's START (opt_in_id) or an admin undoing a
-- report's opt-out (opt_in_id NULL), and keeps the opt-out's source too.
-- SQLite cannot drop a NOT NULL: the table is made anew (nothing refers
-- to it; it has no index of its own but its keys').
CREATE TABLE opt_out_lifts_new (
    id                TEXT PRIMARY KEY,
    organization_id   TEXT NOT NULL REFERENCES organizations(id),
    phone             TEXT NOT NULL,
    opt_in_id         TEXT UNIQUE REFERENCES opt_ins(id),
    lifted_by         TEXT NOT NULL REFERENCES users(id),
    lifted_at         TEXT NOT NULL,
    reason            TEXT NOT NULL,
    source_message_id TEXT,
    opted_out_at      TEXT NOT NULL,
    renewed_at        TEXT,
    source            TEXT
);
INSERT INTO opt_out_lifts_new (id, organization_id, phone, opt_in_id, lifted_by, lifted_at, reason,
    source_message_id, opted_out_at, renewed_at)
    SELECT id, organization_id, phone, opt_in_id, lifted_by, lifted_at, reason,
    source_message_id, opted_out_at, renewed_at FROM opt_out_lifts;
DROP TABLE opt_out_lifts;
ALTER TABLE opt_out_lifts_new RENAME TO opt_out_lifts;
