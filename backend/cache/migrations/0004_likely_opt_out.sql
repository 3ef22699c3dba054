-- Inbound texts the server flags as likely opt-outs (Message.likelyOptOut):
-- the open thread offers to opt the contact out, and the thread stays in
-- Needs Attention until a report decides (inbox.OptOutUndecided).
ALTER TABLE messages ADD COLUMN likely_opt_out INTEGER NOT NULL DEFAULT 0;
