-- +goose Up
-- When a campaign update last retired a version of one of the action's
-- response scripts (response_script_versions), NULL if none ever was. A
-- reply naming a script reads the kept versions only when one may be what
-- the volunteer's app showed (server/script_versions.go): for an action
-- never edited, or a reply that is the current script made after the last
-- edit, this column says so without a read of the versions.
ALTER TABLE actions ADD COLUMN scripts_retired_at TEXT;
-- Versions kept before this migration count as retired when they were.
UPDATE actions SET scripts_retired_at =
    (SELECT MAX(v.retired_at) FROM response_script_versions v WHERE v.action_id = actions.id);
