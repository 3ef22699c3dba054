-- +goose Up
-- A join through search refused past search_joins_per_hour is counted on
-- the account's one row (0040), and the server logs it once an hour per
-- account and campaign, not once a try: an account retrying without end
-- would otherwise add a log line a try. logged_at is when this account's
-- refusal here was last logged (NULL: never, so a row from before logs its
-- next refusal); unlogged counts its refusals since then that were not.
-- The row decides it in the refusal's own upsert, so no try costs a read
-- more, and it holds across restarts and across servers sharing the data.
ALTER TABLE search_join_refusals ADD COLUMN logged_at TEXT;
ALTER TABLE search_join_refusals ADD COLUMN unlogged INTEGER NOT NULL DEFAULT 0;
