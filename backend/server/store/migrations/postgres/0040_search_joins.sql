-- +goose Up
-- A public campaign takes at most search_joins_per_hour new volunteers an
-- hour through search (joining by the campaign's id, without its code):
-- each new member is handed a batch of contacts, and anyone can make an
-- account. 0 takes none that way, NULL the default the server holds
-- (campaignfile.DefaultSearchJoinsPerHour); the join code is never limited.
-- The joins are kept to count the last hour, and the refusals (per account,
-- how often and the latest) for campaign list.
ALTER TABLE campaigns ADD COLUMN search_joins_per_hour INTEGER;
CREATE TABLE search_joins (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    joined_at   TEXT NOT NULL,
    PRIMARY KEY (campaign_id, user_id)
);
CREATE INDEX search_joins_by_time ON search_joins (campaign_id, joined_at);
CREATE TABLE search_join_refusals (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    refused_at  TEXT NOT NULL,
    refusals    INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, user_id)
);
