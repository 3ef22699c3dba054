package store

// JoinCodeEverUsedSQL says whether a campaign, archived ones included, has
// the code (code) or had it before campaign new-code gave it another
// (code): JoinCodeEverUsed.
const JoinCodeEverUsedSQL = `SELECT EXISTS (SELECT 1 FROM campaigns WHERE join_code = ?)
	OR EXISTS (SELECT 1 FROM retired_join_codes WHERE code = ?)`

// SetJoinCodeSQL gives an active campaign a new code (code, id, old code):
// no row when the campaign is gone, archived, or its code is no longer
// the one the caller read.
const SetJoinCodeSQL = `UPDATE campaigns SET join_code = ? WHERE id = ? AND join_code = ? AND active = 1`

// RetireJoinCodeSQL keeps the code a campaign had (code, campaign id,
// TimeText), once SetJoinCodeSQL replaced it.
const RetireJoinCodeSQL = `INSERT INTO retired_join_codes (code, campaign_id, retired_at) VALUES (?, ?, ?)`

// RetiredJoinCodeSQL is the campaign that last had the code before
// campaign new-code replaced it (campaign columns first, then code).
func RetiredJoinCodeSQL(campaignCols string) string {
	return `SELECT ` + campaignCols + ` FROM retired_join_codes r JOIN campaigns c ON c.id = r.campaign_id
	WHERE r.code = ? ORDER BY r.retired_at DESC LIMIT 1`
}
