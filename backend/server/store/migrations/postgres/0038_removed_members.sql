-- +goose Up
-- The members an organizer took off a campaign (textbankd members remove):
-- their membership row is deleted, and this one keeps when, so that the
-- join code does not let them back in and their app's refused changes can
-- say why. Only the latest removal is kept; a membership given again by
-- an organizer (admin add) outweighs it.
CREATE TABLE removed_members (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    removed_at  TEXT NOT NULL,
    PRIMARY KEY (campaign_id, user_id)
);
