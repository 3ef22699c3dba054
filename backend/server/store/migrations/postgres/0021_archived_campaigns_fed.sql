-- +goose Up
-- The apps learn that a campaign is archived from its synced data
-- ("archived": true, since this version): the members of a campaign
-- archived before have their apps' copy from before, so each is fed the
-- campaign once more, to be read as it is now at their next sync.
INSERT INTO feed (user_id, kind, entity_id, created_at)
SELECT m.user_id, 'campaign', c.id, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '.000000000Z'
FROM campaigns c JOIN memberships m ON m.campaign_id = c.id
WHERE c.active = 0
ORDER BY c.id, m.user_id;
