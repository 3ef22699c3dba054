-- +goose Up
-- Organizers and accounts that hold up.

-- Tokens expire after 30 days unused; NULL (tokens from before) reads as
-- created_at.
ALTER TABLE tokens ADD COLUMN last_used_at TEXT;

-- The custom CSV columns an action's contacts carry (JSON []string): the
-- campaign file declares them, imports add to them, and scripts are checked
-- against them.
ALTER TABLE actions ADD COLUMN contact_fields TEXT NOT NULL DEFAULT '[]';

-- Exports and stats read one action's threads.
CREATE INDEX threads_action ON threads(action_id);
-- Campaign files name their organization.
CREATE INDEX organizations_name ON organizations(name);
