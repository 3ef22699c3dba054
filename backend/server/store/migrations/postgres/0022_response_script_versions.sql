-- +goose Up
-- The versions of response scripts an organizer's campaign update replaced
-- (text or tags edited) or removed, as they were, and when they stopped
-- being current. A volunteer's app may show a version until it next
-- syncs, and a reply picked from it may wait in the app's outbox: the
-- server accepts that reply as the script, and files the tags of the
-- version it is, for a bounded time (server/script_versions.go). Rows older
-- than that are deleted at the next update that retires one.
CREATE TABLE response_script_versions (
    action_id  TEXT NOT NULL REFERENCES actions(id),
    script_id  TEXT NOT NULL,
    body       TEXT NOT NULL,
    tags       TEXT NOT NULL DEFAULT '[]', -- JSON []string
    retired_at TEXT NOT NULL
);
CREATE INDEX response_script_versions_script ON response_script_versions(action_id, script_id, retired_at);
CREATE INDEX response_script_versions_retired ON response_script_versions(retired_at);
