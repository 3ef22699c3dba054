-- +goose Up
-- How many times the campaign server failed a change with a fault of its
-- own (500 internal) when it was pushed alone, and when it first did (unix
-- nanoseconds, 0 before any): after a few, over some minutes, the volunteer
-- may discard it, since changes go in order and it holds back every later
-- one. Network failures are not counted here (attempts counts every failure).
ALTER TABLE outbox ADD COLUMN faults INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN first_fault_at INTEGER NOT NULL DEFAULT 0;
