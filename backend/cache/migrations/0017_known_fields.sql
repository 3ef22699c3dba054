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
  -- Only a field KnownFields decodes: one that would not (a key not text,
  -- choices not a list of words) would make every read of the action's
  -- fields fail, for as long as the action keeps no field of that key.
  WHERE f.type = 'object' AND json_type(f.value, '$.key') = 'text' AND json_extract(f.value, '$.key') != ''
    AND COALESCE(json_type(f.value, '$.label'), 'text') IN ('text', 'null')
    AND COALESCE(json_type(f.value, '$.kind'), 'text') IN ('text', 'null')
    AND COALESCE(json_type(f.value, '$.choices'), 'null') IN ('array', 'null')
    AND NOT EXISTS (SELECT 1 FROM json_each(f.value, '$.choices') c WHERE c.type != 'text');
