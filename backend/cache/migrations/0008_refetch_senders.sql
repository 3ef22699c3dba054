-- +goose Up
-- Texts cached before 0007 have no sender (sent_by = ''), and the app shows
-- a text without one as the user's own ("You"). In a conversation
-- reassigned to this user that is wrong: the texts were the volunteer's.
-- The server sends a text again only when it changes, so such a cache
-- forgets its sync cursor: the next sync starts from the beginning and
-- brings every text as it is now, with its sender. Only caches holding such
-- texts pay for a full sync. The outbox and every row stay: a sync from the
-- beginning is applied like any other (queued changes are laid back over
-- it, and a first sync announces no reply or handover as new).
DELETE FROM meta WHERE key = 'cursor' AND EXISTS (
  SELECT 1 FROM messages m JOIN threads t ON t.id = m.thread_id
  WHERE m.direction = 'out' AND m.sent_by = '' AND m.pending = 0
    AND json_extract(t.data, '$.reassigned') IS NOT NULL);
