-- +goose Up
-- Campaigns cached before 0013 learned their organization only from their
-- next change. The campaign as the server sent it (data) names it already
-- when the server was upgraded before this app, as servers usually are:
-- taken from there, a pending Opt Out shows on the number's threads in
-- every campaign of the organization from the first start.
UPDATE campaigns SET organization_id = COALESCE(json_extract(data, '$.organizationId'), '')
WHERE organization_id = '' AND json_valid(data);
