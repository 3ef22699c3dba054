-- +goose Up
-- Whether the contact's latest reply has no answer (inbox.Answered),
-- derived by refreshThread like needs_attention, so the inbox row says
-- what Needs Attention waits for ("Needs a report" only once answered)
-- without working the rule out again: an answer the server took after a
-- reply it was written before is the last text, yet no answer to it.
-- Worked out here once for threads cached before, by the rule they were
-- judged by: a text that went after the reply.
ALTER TABLE threads ADD COLUMN unanswered INTEGER NOT NULL DEFAULT 0;
UPDATE threads SET unanswered = 1
  WHERE last_inbound_at IS NOT NULL AND (last_outbound_at IS NULL OR last_outbound_at <= last_inbound_at);
