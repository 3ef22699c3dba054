-- +goose Up
-- Who sent an outbound text (Message.sentBy, sentByName): in a conversation
-- reassigned to an admin, the texts the volunteer sent before are theirs,
-- not the admin's.
ALTER TABLE messages ADD COLUMN sent_by TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN sent_by_name TEXT NOT NULL DEFAULT '';
