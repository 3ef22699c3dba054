-- +goose Up
-- Since 0011 the Admin section lists a campaign's opt-ins by
-- opt_ins_campaign; nothing reads opt-ins by organization any more
-- (organizations are never deleted, so no foreign key check wants it
-- either), and every START or UNSTOP wrote an entry in this index.
DROP INDEX opt_ins_org;
