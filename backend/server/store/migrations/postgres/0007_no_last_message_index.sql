-- +goose Up
-- The SQLite set's 0007: the archiver finds inactive threads without an
-- index on last_message_at, so no reply has to move an entry in one.
DROP INDEX threads_last_message;
