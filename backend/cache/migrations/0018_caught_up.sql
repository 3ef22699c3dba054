-- +goose Up
-- A cache that has pulled before this app version knew when a first pull
-- completed (cache.CaughtUp) is taken as caught up: its next pull brings
-- news, as it did before. One that has never pulled (no cursor) is not.
INSERT OR IGNORE INTO meta(key, value)
  SELECT 'caught_up', '1' FROM meta WHERE key = 'cursor' AND value != '0';
