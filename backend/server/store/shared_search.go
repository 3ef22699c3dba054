package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/textbank/textbank/backend/fold"
)

// SearchCampaigns compares names and issues in Go, folded as the inbox
// search folds names (fold.Name: "campana" finds "Campaña"), the same on
// both engines: neither folds accents in SQL (SQLite has no ICU in this
// build, PostgreSQL's unaccent is an extension). It reads every active
// public campaign in order and keeps the first limit that match: at 5,000
// campaigns a few tens of milliseconds, 2-5 times the LIKE scan it
// replaced (docs/PERFORMANCE-LOG.md says what to do past that).
func (t Shared) SearchCampaigns(ctx context.Context, userID, q string, limit int) ([]Campaign, error) {
	const cols = `SELECT ` + campaignCols + `, COALESCE(m.role, '')
		FROM campaigns c LEFT JOIN memberships m ON m.campaign_id = c.id AND m.user_id = ?`
	var (
		rows Rows
		err  error
		keep = func(Campaign) bool { return true }
	)
	if q == "" {
		rows, err = t.run.Query(ctx, cols+`
			WHERE c.active = 1 AND (c.public = 1 OR m.user_id IS NOT NULL)
			ORDER BY (m.user_id IS NULL), c.name LIMIT ?`, userID, limit)
	} else {
		words := fold.Query(q)
		keep = func(c Campaign) bool {
			return c.JoinCode == q || c.Public &&
				(strings.Contains(fold.Name(c.Name), words) || strings.Contains(fold.Name(c.Issue), words))
		}
		rows, err = t.run.Query(ctx, cols+`
			WHERE c.active = 1 AND (c.join_code = ? OR c.public = 1)
			ORDER BY (c.join_code <> ?), c.name`, userID, q, q)
	}
	if err != nil {
		// Not q: the text a user typed (a name, a number, a join code)
		// is theirs, and this error is logged; the cause (SQLSTATE) is
		// what tells a fault.
		return nil, fmt.Errorf("search campaigns (a %d-byte text): %w", len(q), err)
	}
	defer rows.Close()
	var out []Campaign
	for len(out) < limit && rows.Next() {
		var role string
		c, err := scanCampaign(rows, &role)
		if err != nil {
			return nil, fmt.Errorf("search campaigns (a %d-byte text): %w", len(q), err)
		}
		if keep(c) {
			c.Role = role
			out = append(out, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search campaigns (a %d-byte text): %w", len(q), err)
	}
	return out, nil
}
