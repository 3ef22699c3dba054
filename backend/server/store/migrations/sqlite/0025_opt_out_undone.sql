-- +goose Up
-- A thread opted in again says how: on the contact's START (Opt Back In,
-- 0), or an admin undoing an opt-out a report filed by mistake (Undo Opt
-- Out, 1), so the conversation tells its volunteer which. Reset with
-- opted_back_in_at when the number opts out anew.
ALTER TABLE threads ADD COLUMN opt_out_undone INTEGER NOT NULL DEFAULT 0;
