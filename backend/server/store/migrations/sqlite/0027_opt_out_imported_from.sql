-- +goose Up
-- The file an organizer's opt-out list came from (textbankd opt-outs
-- import --source), apart from the reason ("imported from " it, which
-- the export prints): the Admin section names the file without reading
-- it out of the reason's words. NULL for any other opt-out. An import's
-- rows of before are filled from their reason.
ALTER TABLE opt_outs ADD COLUMN imported_from TEXT;
UPDATE opt_outs SET imported_from = TRIM(SUBSTR(reason, 15))
    WHERE source = 'import' AND SUBSTR(reason, 1, 14) = 'imported from ';
