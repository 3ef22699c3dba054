-- +goose Up
-- A volunteer's queue is only ever read as state = 'assigned' (the contacts
-- handed to them and not yet texted; a first text's claim finds its contact
-- by id). The full index held an entry for every contact, moved when the
-- contact was handed out and again when it was texted; this one holds only
-- the contacts waiting in someone's queue, so a first text deletes an
-- entry and adds none, and an import adds none at all.
DROP INDEX contacts_assignee;
CREATE INDEX contacts_assigned ON contacts(assigned_to, action_id) WHERE state = 'assigned';
