-- Conversations end with clean data (issue 7): likely opt-outs flagged to
-- the volunteer, opt-ins recorded for admins, abuse reports, reassignment.

-- Inbound texts that read like a request to stop without being an exact
-- keyword (optout.Suggest). A table of their own keeps the messages table
-- and its hot insert as they were.
CREATE TABLE likely_opt_outs (
    message_id TEXT PRIMARY KEY REFERENCES messages(id),
    thread_id  TEXT NOT NULL REFERENCES threads(id),
    created_at TEXT NOT NULL
);
CREATE INDEX likely_opt_outs_thread ON likely_opt_outs(thread_id, created_at);

-- START/UNSTOP from a number opted out of the organization: shown to its
-- admins, never acted on silently.
CREATE TABLE opt_ins (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    phone           TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX opt_ins_org ON opt_ins(organization_id, created_at);

-- A volunteer blocked a contact (feature 9): what the campaign's admins see.
CREATE TABLE abuse_reports (
    id          TEXT PRIMARY KEY, -- the block mutation's id
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    thread_id   TEXT NOT NULL REFERENCES threads(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    reason      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX abuse_reports_campaign ON abuse_reports(campaign_id, created_at);

-- Every hand-over of a thread (feature 11); the latest one per thread is
-- what its owner sees.
CREATE TABLE reassignments (
    id           TEXT PRIMARY KEY,
    thread_id    TEXT NOT NULL REFERENCES threads(id),
    from_user_id TEXT NOT NULL REFERENCES users(id),
    to_user_id   TEXT NOT NULL REFERENCES users(id),
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE INDEX reassignments_thread ON reassignments(thread_id, created_at);
CREATE INDEX reassignments_to ON reassignments(to_user_id, created_at);
