-- +goose Up
-- The Admin section says, for each opt-out of a page, where the contact's
-- START is (store.StartsOf): by this index a number's STARTs are a few
-- rows found by number, not a walk over every START of the campaign
-- (opt_ins_open, opt_ins_reviewed). The number first, so that listing or
-- counting a campaign's opt-ins still reads those. An opt-in is written
-- only when an opted-out number texts START, never on a send.
CREATE INDEX opt_ins_phone ON opt_ins(phone, campaign_id);
