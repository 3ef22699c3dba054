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
ALTER TABLE opt_out_lifts ALTER COLUMN opt_in_id DROP NOT NULL;
ALTER TABLE opt_out_lifts ADD COLUMN source TEXT;
