-- +goose Up
-- Search moved to an index the app keeps in memory (searchindex.go): the
-- full-text table, its trigger and the LIKE column are no longer read, and
-- writing them cost every sync page.
DROP TRIGGER IF EXISTS threads_search_delete;
DROP TABLE IF EXISTS thread_search;
DELETE FROM meta WHERE key = 'search_index';
ALTER TABLE threads DROP COLUMN search;
