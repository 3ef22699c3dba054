-- +goose Up
-- The thread of a contact an admin opted back in (Opt Back In on their
-- START) says who and when, so the volunteer holding it is told and the
-- conversation says why they may text again; NULL otherwise, and again
-- once the number opts out anew. On the thread row, not read from
-- opt_out_lifts, so a sync reads no more statements than before.
ALTER TABLE threads ADD COLUMN opted_back_in_at TEXT;
ALTER TABLE threads ADD COLUMN opted_back_in_by TEXT REFERENCES users(id);
