-- +goose Up
-- The join codes a campaign had before `textbankd campaign new-code` gave
-- it another: a leaked private code, or one a public campaign showed in
-- search before it was made private. A retired code joins nobody, and
-- join_code: generate never draws it again (JoinCodeEverUsed): everyone
-- who knew it would join whichever campaign drew it next.
CREATE TABLE retired_join_codes (
    code        TEXT NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    retired_at  TEXT NOT NULL
);
CREATE INDEX retired_join_codes_code ON retired_join_codes(code);
