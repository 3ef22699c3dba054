-- +goose Up
-- A number's threads in a campaign, found at once: a report tagging Opt
-- Out still in the outbox shows on every one of them (numberoptout.go).
CREATE INDEX threads_phone ON threads(contact_phone, campaign_id);
