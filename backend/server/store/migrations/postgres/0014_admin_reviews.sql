-- +goose Up
-- An admin marks an abuse report or an opt-in reviewed (and may undo it),
-- as unroutable texts are marked handled (0013): who and when, NULL while
-- nobody has. The row is kept either way; the Admin section lists the open
-- ones and counts the reviewed ones, each by an index of its own kind, so
-- neither walks the other's rows (reviewed ones only accumulate). Nothing
-- else reads the campaign indexes they replace.
ALTER TABLE abuse_reports ADD COLUMN reviewed_by TEXT REFERENCES users(id);
ALTER TABLE abuse_reports ADD COLUMN reviewed_at TEXT;
DROP INDEX abuse_reports_campaign;
CREATE INDEX abuse_reports_open ON abuse_reports(campaign_id, created_at) WHERE reviewed_at IS NULL;
CREATE INDEX abuse_reports_reviewed ON abuse_reports(campaign_id, created_at) WHERE reviewed_at IS NOT NULL;

ALTER TABLE opt_ins ADD COLUMN reviewed_by TEXT REFERENCES users(id);
ALTER TABLE opt_ins ADD COLUMN reviewed_at TEXT;
DROP INDEX opt_ins_campaign;
CREATE INDEX opt_ins_open ON opt_ins(campaign_id, created_at) WHERE reviewed_at IS NULL;
CREATE INDEX opt_ins_reviewed ON opt_ins(campaign_id, created_at) WHERE reviewed_at IS NOT NULL;

-- A number that opts out again while opted out (STOP after START, a report,
-- a block) renews its opt-out: a START received before that can no longer
-- lift it.
ALTER TABLE opt_outs ADD COLUMN renewed_at TEXT;

-- An admin lifts an organization's opt-out on the contact's START: the
-- opt-out row goes (every send-time check reads opt_outs as it is), and is
-- kept here whole, with who lifted it, when, and on which opt-in (one lift
-- per opt-in; the Admin section reads it with the opt-in).
CREATE TABLE opt_out_lifts (
    id                TEXT PRIMARY KEY,
    organization_id   TEXT NOT NULL REFERENCES organizations(id),
    phone             TEXT NOT NULL,
    opt_in_id         TEXT NOT NULL UNIQUE REFERENCES opt_ins(id),
    lifted_by         TEXT NOT NULL REFERENCES users(id),
    lifted_at         TEXT NOT NULL,
    reason            TEXT NOT NULL,
    source_message_id TEXT,
    opted_out_at      TEXT NOT NULL,
    renewed_at        TEXT
);
