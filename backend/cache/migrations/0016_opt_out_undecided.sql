-- +goose Up
-- Whether a text that reads like a request to stop waits for the volunteer's
-- decision (inbox.OptOutUndecided), derived by refreshThread like
-- needs_attention, so the inbox row can say "May be an opt-out" without
-- reading the thread's messages. Worked out here once for threads cached
-- before: the latest such reply (answered, as refreshThread counts it) is no
-- older than the latest report.
ALTER TABLE threads ADD COLUMN opt_out_undecided INTEGER NOT NULL DEFAULT 0;
UPDATE threads SET opt_out_undecided = 1
  WHERE opted_out = 0 AND blocked = 0 AND EXISTS (
    SELECT 1 FROM messages m
    WHERE m.thread_id = threads.id AND m.direction = 'in' AND m.likely_opt_out = 1
      AND m.error = '' AND m.status NOT IN ('failed', 'undelivered')
      AND (threads.last_report_at IS NULL OR m.created_at >= threads.last_report_at));
