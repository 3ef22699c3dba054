-- +goose Up
-- Caches before 0015 kept the contact of every conversation that left the
-- volunteer (reassigned away, blocked) and of every contact handed back:
-- names, numbers and columns the volunteer no longer has any use for.
-- Those of a block or reassign still in the outbox stay (a refusal brings
-- the conversation back); a conversation that comes back later has its
-- contact asked for again.
DELETE FROM contacts
WHERE id NOT IN (SELECT id FROM threads)
  AND id NOT IN (SELECT contact_id FROM assignments)
  AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.thread_id = contacts.id OR instr(outbox.undo, contacts.id) > 0);
