-- +goose Up
-- Why an archived thread is archived, in the inbox's words ('user',
-- 'report', 'inactive'; '' when not archived), derived by refreshThread like
-- the other flags so a pending archive or report shows its own reason.
ALTER TABLE threads ADD COLUMN archived_reason TEXT NOT NULL DEFAULT '';
UPDATE threads SET archived_reason = CASE COALESCE(json_extract(data, '$.archivedReason'), '')
    WHEN 'report' THEN 'report'
    WHEN 'inactive' THEN 'inactive'
    ELSE 'user' END
  WHERE archived = 1;
