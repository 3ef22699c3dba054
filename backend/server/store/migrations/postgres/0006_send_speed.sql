-- +goose Up
-- The SQLite set's 0006 (fewer index writes per text): the same indexes go,
-- so that both engines stay at one schema version with one schema.
DROP INDEX messages_thread;
DROP INDEX threads_org_phone;
DROP INDEX threads_owner;
DROP INDEX contacts_pool;
