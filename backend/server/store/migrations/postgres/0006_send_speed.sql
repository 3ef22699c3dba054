-- +goose Up
-- The same indexes as in the SQLite set go (see sqlite/0006_send_speed.sql):
-- each is covered by another index or read by no query, and every text wrote
-- their entries. threads_org_phone served InitialSentSince here; SendChecks
-- finds a number's threads by threads_route instead, as on SQLite.
DROP INDEX messages_thread;
DROP INDEX threads_org_phone;
DROP INDEX threads_owner;
DROP INDEX contacts_pool;
