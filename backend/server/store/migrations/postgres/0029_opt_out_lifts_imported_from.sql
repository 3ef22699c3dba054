-- +goose Up
-- A lifted opt-out keeps the file of the organizer's opt-out list it came
-- from, as opt_outs does (0027): the lift's copy of the opt-out had only
-- its reason ("imported from " it). NULL for any other. A lift of before
-- is filled from its own reason, the one copy of it left: the opt-out it
-- copied was deleted as it was lifted.
ALTER TABLE opt_out_lifts ADD COLUMN imported_from TEXT;
UPDATE opt_out_lifts SET imported_from = TRIM(SUBSTR(reason, 15))
    WHERE source = 'import' AND SUBSTR(reason, 1, 14) = 'imported from ';
