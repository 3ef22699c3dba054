-- +goose Up
-- Textbank server schema. Kept to SQL that SQLite and PostgreSQL both accept
-- where that is cheap: TEXT ids (UUIDs), times as fixed-width UTC text
-- (lexical order = time order), booleans as INTEGER 0/1, JSON as TEXT.

CREATE TABLE organizations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL UNIQUE, -- stored lower-cased
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY, -- hex SHA-256 of the bearer token
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX tokens_user ON tokens(user_id);

CREATE TABLE campaigns (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    name            TEXT NOT NULL,
    issue           TEXT NOT NULL DEFAULT '',
    join_code       TEXT NOT NULL,
    public          INTEGER NOT NULL DEFAULT 0,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL
);
-- A join code names one campaign among the active ones; retired campaigns
-- free their code.
CREATE UNIQUE INDEX campaigns_active_join_code ON campaigns(join_code) WHERE active = 1;
CREATE INDEX campaigns_org ON campaigns(organization_id);

CREATE TABLE memberships (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    role        TEXT NOT NULL CHECK (role IN ('volunteer', 'admin')),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (campaign_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE actions (
    id               TEXT PRIMARY KEY,
    campaign_id      TEXT NOT NULL REFERENCES campaigns(id),
    type             TEXT NOT NULL,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    instructions     TEXT NOT NULL DEFAULT '',
    scripts          TEXT NOT NULL DEFAULT '[]', -- JSON []string
    response_scripts TEXT NOT NULL DEFAULT '[]', -- JSON []api.ResponseScript
    report_fields    TEXT NOT NULL DEFAULT '[]', -- JSON []api.ReportField
    hours_start      TEXT NOT NULL DEFAULT '09:00',
    hours_end        TEXT NOT NULL DEFAULT '21:00',
    batch_size       INTEGER NOT NULL DEFAULT 100,
    allow_free_text  INTEGER NOT NULL DEFAULT 1,
    creator_id       TEXT NOT NULL REFERENCES users(id),
    created_at       TEXT NOT NULL
);
CREATE INDEX actions_campaign ON actions(campaign_id);

CREATE TABLE contacts (
    id           TEXT PRIMARY KEY,
    action_id    TEXT NOT NULL REFERENCES actions(id),
    first_name   TEXT NOT NULL DEFAULT '',
    last_name    TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL, -- E.164
    zip          TEXT NOT NULL DEFAULT '',
    external_id  TEXT NOT NULL DEFAULT '',
    fields       TEXT NOT NULL DEFAULT '{}', -- JSON map of custom columns
    script_index INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL DEFAULT 'unassigned'
                 CHECK (state IN ('unassigned', 'assigned', 'texted', 'released')),
    assigned_to  TEXT REFERENCES users(id),
    assigned_at  TEXT,
    created_at   TEXT NOT NULL
);
-- Text Again scans the pool of one action; the volunteer's queue is one user's
-- assigned rows.
CREATE INDEX contacts_pool ON contacts(action_id, state);
CREATE INDEX contacts_assignee ON contacts(assigned_to, action_id, state);
CREATE UNIQUE INDEX contacts_action_phone ON contacts(action_id, phone);

CREATE TABLE sending_numbers (
    phone       TEXT PRIMARY KEY, -- E.164
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    user_id     TEXT REFERENCES users(id),
    assigned_at TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX sending_numbers_campaign_user ON sending_numbers(campaign_id, user_id);

CREATE TABLE threads (
    id               TEXT PRIMARY KEY REFERENCES contacts(id), -- thread id = contact id
    action_id        TEXT NOT NULL REFERENCES actions(id),
    campaign_id      TEXT NOT NULL REFERENCES campaigns(id),
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    owner_id         TEXT NOT NULL REFERENCES users(id),
    contact_name     TEXT NOT NULL DEFAULT '',
    contact_phone    TEXT NOT NULL,
    sending_number   TEXT NOT NULL,
    last_message_at  TEXT NOT NULL,
    last_inbound_at  TEXT,
    last_outbound_at TEXT,
    last_report_at   TEXT,
    opted_out        INTEGER NOT NULL DEFAULT 0,
    blocked          INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL
);
-- Inbound routing: the last thread texted to contact C from number N.
CREATE INDEX threads_route ON threads(contact_phone, sending_number, last_outbound_at);
-- Org-wide rules (opt-out, 6-hour initial text rule) look up a phone in an org.
CREATE INDEX threads_org_phone ON threads(organization_id, contact_phone);
CREATE INDEX threads_owner ON threads(owner_id, last_message_at);
CREATE INDEX threads_last_message ON threads(last_message_at);

CREATE TABLE messages (
    id          TEXT PRIMARY KEY, -- the client's id for outbound; also the provider idempotency key
    thread_id   TEXT NOT NULL REFERENCES threads(id),
    direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    body        TEXT NOT NULL,
    status      TEXT NOT NULL,
    provider_id TEXT,
    initial     INTEGER NOT NULL DEFAULT 0,
    sender_id   TEXT REFERENCES users(id),
    error       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    sent_at     TEXT
);
CREATE UNIQUE INDEX messages_provider_id ON messages(provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX messages_thread ON messages(thread_id, created_at);
CREATE INDEX messages_initial ON messages(initial, created_at);

CREATE TABLE reports (
    id           TEXT PRIMARY KEY,
    thread_id    TEXT NOT NULL REFERENCES threads(id),
    user_id      TEXT NOT NULL REFERENCES users(id),
    field_values TEXT NOT NULL DEFAULT '{}', -- JSON map
    submitted_at TEXT NOT NULL
);
CREATE INDEX reports_thread ON reports(thread_id, submitted_at);

CREATE TABLE inbox_states (
    user_id         TEXT NOT NULL REFERENCES users(id),
    thread_id       TEXT NOT NULL REFERENCES threads(id),
    last_read_at    TEXT,
    archived        INTEGER NOT NULL DEFAULT 0,
    archived_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, thread_id)
);

CREATE TABLE user_settings (
    user_id      TEXT PRIMARY KEY REFERENCES users(id),
    auto_archive INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE opt_outs (
    organization_id   TEXT NOT NULL REFERENCES organizations(id),
    phone             TEXT NOT NULL,
    reason            TEXT NOT NULL DEFAULT '',
    source_message_id TEXT,
    created_at        TEXT NOT NULL,
    PRIMARY KEY (organization_id, phone)
);

CREATE TABLE blocks (
    user_id           TEXT NOT NULL REFERENCES users(id),
    phone             TEXT NOT NULL,
    organization_id   TEXT NOT NULL REFERENCES organizations(id),
    contact_id        TEXT,
    reason            TEXT NOT NULL DEFAULT '',
    source_message_id TEXT,
    created_at        TEXT NOT NULL,
    PRIMARY KEY (user_id, phone)
);

CREATE TABLE unroutable_messages (
    id          TEXT PRIMARY KEY,
    provider_id TEXT UNIQUE,
    from_phone  TEXT NOT NULL,
    to_phone    TEXT NOT NULL,
    body        TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX unroutable_received ON unroutable_messages(received_at);

CREATE TABLE mutations (
    id         TEXT PRIMARY KEY, -- client-generated
    user_id    TEXT NOT NULL REFERENCES users(id),
    type       TEXT NOT NULL,
    result     TEXT NOT NULL, -- JSON api.MutationResult
    created_at TEXT NOT NULL
);

CREATE TABLE feed (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX feed_user_seq ON feed(user_id, seq);
