-- +goose Up
-- When the owner last took the thread out of the archive: the two-month
-- archiver counts it as activity (with messages and reports), so a thread a
-- volunteer unarchived is not archived again at its next round. NULL for a
-- thread never unarchived by hand.
ALTER TABLE inbox_states ADD COLUMN unarchived_at TEXT;
