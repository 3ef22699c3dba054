-- +goose Up
-- Campaign search (Shared.SearchCampaigns) matches a campaign's name and
-- issue folded (fold.Name: lower case, no accents) in SQL, with LIKE and
-- the limit there, instead of reading every public campaign into Go to fold
-- it on each keystroke. The fold is Go's (neither engine folds accents the
-- same way), so every writer of a name or an issue (CreateCampaign,
-- UpdateCampaign) writes these too, and the rows from before are folded by
-- Go when the store opens (store.FoldCampaigns): NULL says not folded yet,
-- and the partial index finds those without reading the others.
ALTER TABLE campaigns ADD COLUMN name_folded TEXT;
ALTER TABLE campaigns ADD COLUMN issue_folded TEXT;
CREATE INDEX campaigns_unfolded ON campaigns(id) WHERE name_folded IS NULL;
