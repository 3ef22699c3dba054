-- +goose Up
-- How far into the contact's replies the thread's reports reach: the
-- newest reply the app held when a volunteer filled one (the report's at).
-- A likely opt-out after it is undecided, even if a report reached the
-- server later (filled offline before the request came). Until now a
-- report decided every reply before it was filed: threads keep that.
ALTER TABLE threads ADD COLUMN reported_through TEXT;
UPDATE threads SET reported_through = last_report_at;

