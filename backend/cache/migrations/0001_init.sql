-- +goose Up
-- The app's local copy of what its volunteer may see. Server entities keep
-- their JSON in `data` (so new wire fields survive without a migration) and
-- copy into columns only what queries filter or sort on.
-- Times are INTEGER Unix nanoseconds (UTC); NULL means never.
--
-- Mirrored tables carry no FOREIGN KEY constraints on purpose: a sync page
-- may deliver a message before its thread, and a constraint failure would
-- stall sync for good. Deletes clean up dependants explicitly.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE campaigns (
  id   TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  data TEXT NOT NULL
);

CREATE TABLE actions (
  id          TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL,
  type        TEXT NOT NULL,
  title       TEXT NOT NULL,
  data        TEXT NOT NULL
);
CREATE INDEX actions_campaign ON actions(campaign_id, title);

CREATE TABLE assignments (
  contact_id  TEXT PRIMARY KEY,
  action_id   TEXT NOT NULL,
  assigned_at INTEGER NOT NULL,
  data        TEXT NOT NULL
);
CREATE INDEX assignments_action ON assignments(action_id, assigned_at, contact_id);

-- Merge fields of contacts this volunteer was assigned, kept after the
-- assignment goes so response scripts can be rendered for the thread.
CREATE TABLE contacts (
  id   TEXT PRIMARY KEY,
  data TEXT NOT NULL
);

CREATE TABLE threads (
  id            TEXT PRIMARY KEY,
  action_id     TEXT NOT NULL,
  campaign_id   TEXT NOT NULL,
  action_type   TEXT NOT NULL,
  contact_name  TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  search        TEXT NOT NULL,           -- lower(name) + phone digits, for LIKE
  data          TEXT NOT NULL,           -- api.Thread as the server last sent it (or the optimistic one)
  from_server   INTEGER NOT NULL,        -- 0 while only the optimistic thread exists
  -- Derived, rewritten by refreshThread in the same transaction as any
  -- change: server state + local messages + pending outbox effects.
  last_message_at   INTEGER NOT NULL,
  last_message_body TEXT NOT NULL DEFAULT '',
  last_inbound_at   INTEGER,
  last_outbound_at  INTEGER,
  last_read_at      INTEGER,
  last_report_at    INTEGER,
  archived          INTEGER NOT NULL,
  opted_out         INTEGER NOT NULL,
  blocked           INTEGER NOT NULL,
  unread            INTEGER NOT NULL,
  needs_attention   INTEGER NOT NULL
);
-- One index per filter shape, each ending in the list order, so counts are
-- covering-index counts and a page of the list is a range scan.
CREATE INDEX threads_all       ON threads(campaign_id, archived, last_message_at);
CREATE INDEX threads_unread    ON threads(campaign_id, archived, unread, last_message_at);
CREATE INDEX threads_attention ON threads(campaign_id, archived, needs_attention, last_message_at);
CREATE INDEX threads_type      ON threads(campaign_id, archived, action_type, last_message_at);
CREATE INDEX threads_recent    ON threads(archived, last_message_at);

CREATE TABLE messages (
  id         TEXT PRIMARY KEY,
  thread_id  TEXT NOT NULL,
  direction  TEXT NOT NULL,
  body       TEXT NOT NULL,
  status     TEXT NOT NULL,
  initial    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  pending    INTEGER NOT NULL DEFAULT 0, -- its mutation is still in the outbox
  error      TEXT NOT NULL DEFAULT ''    -- the server's reason when it refused it
);
CREATE INDEX messages_thread ON messages(thread_id, created_at);

CREATE TABLE reports (
  id           TEXT PRIMARY KEY,
  thread_id    TEXT NOT NULL,
  submitted_at INTEGER NOT NULL,
  data         TEXT NOT NULL
);
CREATE INDEX reports_thread ON reports(thread_id, submitted_at);

CREATE TABLE settings (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  data TEXT NOT NULL
);

-- Every local action, written with its optimistic effect, removed once the
-- server applied it, kept with the reason when the server refused it.
CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT, -- send order
  id         TEXT NOT NULL UNIQUE,              -- the mutation id
  type       TEXT NOT NULL,
  payload    TEXT NOT NULL,                     -- api.Mutation
  thread_id  TEXT NOT NULL DEFAULT '',
  message_id TEXT NOT NULL DEFAULT '',
  undo       TEXT NOT NULL DEFAULT '',          -- what a rejection restores (send_initial: the assignment)
  created_at INTEGER NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  rejected   INTEGER NOT NULL DEFAULT 0,
  code       TEXT NOT NULL DEFAULT '',
  reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox(rejected, seq);
CREATE INDEX outbox_thread  ON outbox(thread_id, rejected);
