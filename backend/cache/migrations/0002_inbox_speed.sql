-- +goose Up
-- The inbox at 100,000 threads: every list query is one range of one index,
-- the filter counts are read from a small table, and search by name or number
-- is a range of a key table instead of a scan.

-- One partial index per filter, for one campaign and for all of them, each
-- ending in the list's exact order (last_message_at, id): a page is a walk
-- down an index that stops after 50 rows, with no sort. Partial indexes hold
-- only their filter's rows, so a thread costs only the entries it appears in.
-- The WHERE terms must match filterWhere in queries.go word for word, or
-- SQLite cannot use them.
DROP INDEX threads_all;
DROP INDEX threads_unread;
DROP INDEX threads_attention;
DROP INDEX threads_type;
DROP INDEX threads_recent;
CREATE INDEX threads_all_c       ON threads(campaign_id, last_message_at, id) WHERE archived = 0;
CREATE INDEX threads_all         ON threads(last_message_at, id)              WHERE archived = 0;
CREATE INDEX threads_archive_c   ON threads(campaign_id, last_message_at, id) WHERE archived = 1;
CREATE INDEX threads_archive     ON threads(last_message_at, id)              WHERE archived = 1;
CREATE INDEX threads_unread_c    ON threads(campaign_id, last_message_at, id) WHERE archived = 0 AND unread = 1;
CREATE INDEX threads_unread      ON threads(last_message_at, id)              WHERE archived = 0 AND unread = 1;
CREATE INDEX threads_attention_c ON threads(campaign_id, last_message_at, id) WHERE archived = 0 AND needs_attention = 1;
CREATE INDEX threads_attention   ON threads(last_message_at, id)              WHERE archived = 0 AND needs_attention = 1;
CREATE INDEX threads_type_c      ON threads(campaign_id, action_type, last_message_at, id) WHERE archived = 0;
CREATE INDEX threads_type        ON threads(action_type, last_message_at, id)              WHERE archived = 0;

-- How many threads have each combination of the columns filters test, per
-- campaign: at most 40 rows a campaign, so all seven counts are one tiny
-- read. Triggers keep it in the same transaction as every thread change,
-- whoever makes it (sync, optimistic changes, rollbacks).
CREATE TABLE thread_counts (
  campaign_id     TEXT NOT NULL,
  archived        INTEGER NOT NULL,
  unread          INTEGER NOT NULL,
  needs_attention INTEGER NOT NULL,
  action_type     TEXT NOT NULL,
  n               INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, archived, unread, needs_attention, action_type)
) WITHOUT ROWID;
INSERT INTO thread_counts
  SELECT campaign_id, archived, unread, needs_attention, action_type, count(*) FROM threads GROUP BY 1, 2, 3, 4, 5;

-- +goose StatementBegin
CREATE TRIGGER threads_count_insert AFTER INSERT ON threads BEGIN
  INSERT INTO thread_counts VALUES (new.campaign_id, new.archived, new.unread, new.needs_attention, new.action_type, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER threads_count_delete AFTER DELETE ON threads BEGIN
  UPDATE thread_counts SET n = n - 1 WHERE campaign_id = old.campaign_id AND archived = old.archived
    AND unread = old.unread AND needs_attention = old.needs_attention AND action_type = old.action_type;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER threads_count_update AFTER UPDATE OF campaign_id, archived, unread, needs_attention, action_type ON threads
  WHEN old.campaign_id IS NOT new.campaign_id OR old.archived IS NOT new.archived OR old.unread IS NOT new.unread
    OR old.needs_attention IS NOT new.needs_attention OR old.action_type IS NOT new.action_type
BEGIN
  UPDATE thread_counts SET n = n - 1 WHERE campaign_id = old.campaign_id AND archived = old.archived
    AND unread = old.unread AND needs_attention = old.needs_attention AND action_type = old.action_type;
  INSERT INTO thread_counts VALUES (new.campaign_id, new.archived, new.unread, new.needs_attention, new.action_type, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- Search: an FTS4 index (compiled into go-sqlite3 by default, unlike FTS5)
-- over tokens threads.go makes: every suffix of every word of the name and
-- of the number's digits, so "ovel" (inside "Lovelace") and "0101" (the end
-- of a number) are prefix queries (ovel*, 0101*). FTS keeps its index in
-- merged segments, so adding a thread is cheap, unlike one b-tree row per
-- suffix. docid is the thread's rowid, which nothing renumbers (the cache is
-- never VACUUMed). cache.go fills it for threads from before this migration;
-- upsertThread keeps it current, and the trigger drops a deleted thread's.
CREATE VIRTUAL TABLE thread_search USING fts4(tokens, tokenize=unicode61);
-- Merge segments a little on every write, so a query reads few of them
-- however many sync pages built the index.
INSERT INTO thread_search(thread_search) VALUES ('automerge=8');
-- +goose StatementBegin
CREATE TRIGGER threads_search_delete AFTER DELETE ON threads BEGIN
  DELETE FROM thread_search WHERE docid = old.rowid;
END;
-- +goose StatementEnd
INSERT INTO meta(key, value) VALUES ('search_index', 'rebuild')
  ON CONFLICT(key) DO UPDATE SET value = excluded.value;
