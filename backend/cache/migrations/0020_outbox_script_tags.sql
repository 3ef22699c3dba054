-- +goose Up
-- Whether a queued reply naming a response script files report tags: the
-- script as the app showed it when the volunteer picked it (1 or 0), the
-- version the server looks for among the script's versions, kept here so
-- an organizer's edit synced meanwhile does not change what the queued
-- reply does (loadScriptTags). NULL for every other row, and for replies
-- queued before: those are judged by the action as held now, as before.
ALTER TABLE outbox ADD COLUMN script_tags INTEGER;
