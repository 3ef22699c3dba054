-- +goose Up
-- A SHA-256 of each applied mutation's content (its id aside), so that a
-- push reusing an id for other content is refused instead of answered with
-- the first result while its change is lost. 32 bytes on the row the
-- mutation already writes; NULL for rows recorded before it, which match
-- any content (their retries keep getting their first result). Adding a
-- nullable column without a default rewrites no row.
ALTER TABLE mutations ADD COLUMN fingerprint BLOB;
