-- +goose Up
-- The contact list's extra columns volunteers see (JSON []string), besides
-- those the action's scripts use: a column neither names stays on the
-- server, in the exports, and never reaches a volunteer's app. Actions from
-- before showed every column, and keep doing so until their campaign file
-- says otherwise.
ALTER TABLE actions ADD COLUMN shown_fields TEXT NOT NULL DEFAULT '[]';
UPDATE actions SET shown_fields = contact_fields;
