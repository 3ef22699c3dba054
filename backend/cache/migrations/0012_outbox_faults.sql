-- +goose Up
-- How many times the campaign server failed a change with a fault of its
-- own (500 internal) when it was pushed alone: after a few, the volunteer may
-- discard it, since changes go in order and it holds back every later one.
-- Network failures are not counted here (attempts counts every failure).
ALTER TABLE outbox ADD COLUMN faults INTEGER NOT NULL DEFAULT 0;
