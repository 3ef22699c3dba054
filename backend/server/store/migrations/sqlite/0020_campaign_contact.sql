-- +goose Up
-- Whom volunteers ask about the campaign (a name, and an email or phone),
-- as the organizer wrote it in the campaign file; shown on each action's
-- page. Empty: the app names nobody.
ALTER TABLE campaigns ADD COLUMN contact TEXT NOT NULL DEFAULT '';
