-- +goose Up
-- Every reply, in or out, moved its thread's entry in this index: a page
-- written per reply that only the hourly two-month archiver read. It now
-- looks for candidates on a read snapshot, off the writer, by reading the
-- table.
DROP INDEX threads_last_message;
