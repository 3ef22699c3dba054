-- +goose Up
-- A member taken off a campaign (members remove, 0038) kept their sending
-- number's assignment, so numbers list counted them among those texting
-- from it and the next joiner's least-used number counted them too.
-- Removal now gives the number back (RemoveMembership); this gives back
-- the numbers of those removed before, who are not members again.
DELETE FROM number_assignments
WHERE EXISTS (SELECT 1 FROM removed_members r
		WHERE r.campaign_id = number_assignments.campaign_id AND r.user_id = number_assignments.user_id)
	AND NOT EXISTS (SELECT 1 FROM memberships m
		WHERE m.campaign_id = number_assignments.campaign_id AND m.user_id = number_assignments.user_id);
