-- +goose Up
-- A pool contact no text can reach before a time (outside the action's
-- texting hours in their time zone, or sent a first text by the
-- organization within the 6-hour lock from another list) waits out of the
-- pick until then: the hand-out that reads one marks it, so the next
-- hand-outs read past it instead of reading it again and again (a list
-- whose first few thousand contacts all wait used to stop every Text Again
-- at its scan bound, untexted contacts further down). The pick's index
-- holds only contacts not waiting; contacts_waiting finds those whose time
-- has come. Adding a nullable column without a default rewrites no row.
ALTER TABLE contacts ADD COLUMN waits_until TEXT;
DROP INDEX contacts_pick;
CREATE INDEX contacts_pick ON contacts(action_id, created_at, id)
    WHERE state IN ('unassigned', 'released') AND waits_until IS NULL;
CREATE INDEX contacts_waiting ON contacts(action_id, waits_until) WHERE waits_until IS NOT NULL;
