-- +goose Up
-- Whom each change in the outbox was for, as the thread named them when it
-- was queued. A refusal can outlive its thread (reassigned or blocked from
-- another desktop meanwhile: the sync after the refusal deletes it here),
-- and the Outbox must still say "Reply to Ada Lovelace", not "a contact".
ALTER TABLE outbox ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
UPDATE outbox SET
  contact_name = COALESCE((SELECT t.contact_name FROM threads t WHERE t.id = outbox.thread_id), ''),
  contact_phone = COALESCE((SELECT t.contact_phone FROM threads t WHERE t.id = outbox.thread_id), '')
  WHERE thread_id <> '';
-- Refused reads (housekeeping the Outbox never listed, so nothing could
-- dismiss them) are forgotten; sync now forgets them as they are refused.
DELETE FROM outbox WHERE type = 'read' AND rejected = 1;
