-- +goose Up
-- Who handed a conversation over to this user (the name in the server's
-- thread, '' for a conversation never reassigned), derived by refreshThread
-- like archived_reason, so the inbox row of a reassigned conversation says
-- so without reading each row's JSON.
ALTER TABLE threads ADD COLUMN reassigned_from TEXT NOT NULL DEFAULT '';
UPDATE threads SET reassigned_from = COALESCE(json_extract(data, '$.reassigned.fromUserName'), '')
  WHERE json_extract(data, '$.reassigned') IS NOT NULL;
