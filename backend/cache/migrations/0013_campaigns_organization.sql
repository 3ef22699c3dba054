-- +goose Up
-- The organization a campaign belongs to ('' until the server says: older
-- servers do not), so that a report tagging Opt Out still in the outbox
-- shows on the number's threads in each campaign of the organization, as
-- the server will opt it out (numberoptout.go). Filled from the campaign's
-- change; a campaign with none stands for its own organization.
ALTER TABLE campaigns ADD COLUMN organization_id TEXT NOT NULL DEFAULT '';
