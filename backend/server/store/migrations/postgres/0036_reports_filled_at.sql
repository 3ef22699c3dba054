-- +goose Up
-- When the app filled the report (the mutation's createdAt, never after it
-- reached the server): a report filled offline reaches the server later,
-- and the reports export asks whether a tag was on the form it was filled
-- on by this time, not by its arrival. NULL for a report from before it
-- was kept (or from a client that did not say): filled when it arrived,
-- as far as anyone knows.
ALTER TABLE reports ADD COLUMN filled_at TEXT;
