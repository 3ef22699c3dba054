-- +goose Up
-- A number taken out of its campaign's pool (numbers remove: a number a
-- carrier flags, or one the campaign gives up) stays in the table: its
-- conversations under way keep it, and replies to it are still routed
-- and, with no conversation, kept as unroutable for the campaign whose
-- pool had it. It starts no new conversation: volunteers are not given it.
ALTER TABLE sending_numbers ADD COLUMN removed_at TEXT;
