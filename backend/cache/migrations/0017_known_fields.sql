-- +goose Up
-- The report fields of each action as last known, those an admin removed
-- since among them (cache.KnownFields): a report filed before the removal,
-- or refused for it, still names the field as the volunteer's form did
-- ("Will vote"), not by its key. Kept while the action's campaign is; an
-- action gone keeps its fields, as its conversations keep their reports.
CREATE TABLE known_fields (
  action_id   TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  key         TEXT NOT NULL,
  data        TEXT NOT NULL, -- the api.ReportField
  PRIMARY KEY (action_id, key)
);
CREATE INDEX known_fields_campaign ON known_fields(campaign_id);
INSERT OR REPLACE INTO known_fields(action_id, campaign_id, key, data)
  SELECT a.id, a.campaign_id, json_extract(f.value, '$.key'), f.value
  FROM actions a, json_each(CASE WHEN json_valid(a.data) THEN a.data ELSE '{}' END, '$.reportFields') f
  WHERE f.type = 'object' AND COALESCE(json_extract(f.value, '$.key'), '') != '';
