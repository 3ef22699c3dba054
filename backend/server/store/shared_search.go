package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/textbank/textbank/backend/fold"
)

// SearchCampaigns matches the folded words (fold.Query: "campana" finds
// "Campaña", as the inbox search folds names) against the folded copies of
// names and issues that every writer stores (FoldedName, migration 0039),
// in SQL with the limit there, the same on both engines: neither folds
// accents in SQL itself (SQLite has no ICU in this build, PostgreSQL's
// unaccent is an extension), so the fold is Go's, written beside the text.
// The words are a LIKE pattern with %, _ and \ escaped: they match as
// typed, never as wildcards.
//
// A campaign an organizer took the user off (removed_members, and not a
// member again) is left out of their list and of what their words find:
// joining it is refused. By its exact code it is still found, as the code
// box finds it: joining then says why, and a right code is not counted as
// a wrong guess.
func (t Shared) SearchCampaigns(ctx context.Context, userID, q string, limit int) ([]Campaign, error) {
	const (
		cols = `SELECT ` + campaignCols + `, COALESCE(m.role, '')
		FROM campaigns c LEFT JOIN memberships m ON m.campaign_id = c.id AND m.user_id = ?`
		notRemoved = `(m.user_id IS NOT NULL OR NOT EXISTS
			(SELECT 1 FROM removed_members r WHERE r.campaign_id = c.id AND r.user_id = ?))`
	)
	var (
		rows Rows
		err  error
	)
	if q == "" {
		rows, err = t.run.Query(ctx, cols+`
			WHERE c.active = 1 AND (c.public = 1 AND `+notRemoved+` OR m.user_id IS NOT NULL)
			ORDER BY (m.user_id IS NULL), c.name LIMIT ?`, userID, userID, limit)
	} else {
		like := "%" + likeEscaper.Replace(fold.Query(q)) + "%"
		rows, err = t.run.Query(ctx, cols+`
			WHERE c.active = 1 AND (c.join_code = ?
				OR c.public = 1 AND (c.name_folded LIKE ? ESCAPE '\' OR c.issue_folded LIKE ? ESCAPE '\') AND `+notRemoved+`)
			ORDER BY (c.join_code <> ?), c.name LIMIT ?`, userID, q, like, like, userID, q, limit)
	}
	if err != nil {
		// Not q: the text a user typed (a name, a number, a join code)
		// is theirs, and this error is logged; the cause (SQLSTATE) is
		// what tells a fault.
		return nil, fmt.Errorf("search campaigns (a %d-byte text): %w", len(q), err)
	}
	defer rows.Close()
	var out []Campaign
	for rows.Next() {
		var role string
		c, err := scanCampaign(rows, &role)
		if err != nil {
			return nil, fmt.Errorf("search campaigns (a %d-byte text): %w", len(q), err)
		}
		c.Role = role
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search campaigns (a %d-byte text): %w", len(q), err)
	}
	return out, nil
}

// likeEscaper makes text a LIKE pattern that matches it as typed (with
// ESCAPE '\', which SQLite needs said and PostgreSQL takes by default).
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// FoldedName is a campaign's name or issue as the search compares it, the
// value of name_folded and issue_folded: every writer of a campaign's name
// or issue stores it beside the text.
func FoldedName(s string) string { return fold.Name(s) }

// FoldCampaigns folds the names and issues of the campaigns written before
// the store stored them folded (migration 0039 left NULL), which SQL cannot
// do: both engines' Open run it. Once those are done it is one read of an
// empty partial index (campaigns_unfolded) and no write transaction, so an
// organizer's command opening the store beside a running server does not
// wait for its writer (or, on PostgreSQL, its write lock).
func FoldCampaigns(ctx context.Context, st Store) error {
	var todo bool
	if err := st.View(ctx, func(tx Tx) error {
		var err error
		todo, err = tx.AnyUnfoldedCampaigns(ctx)
		return err
	}); err != nil || !todo {
		return err
	}
	return st.Update(ctx, func(tx Tx) error { return tx.FoldUnfoldedCampaigns(ctx) })
}

func (t Shared) AnyUnfoldedCampaigns(ctx context.Context) (bool, error) {
	var n int
	if err := t.run.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM campaigns WHERE name_folded IS NULL LIMIT 1) x`).Scan(&n); err != nil {
		return false, fmt.Errorf("look for campaign names to fold for search: %w", err)
	}
	return n > 0, nil
}

func (t Shared) FoldUnfoldedCampaigns(ctx context.Context) error {
	rows, err := t.run.Query(ctx, `SELECT id, name, issue FROM campaigns WHERE name_folded IS NULL`)
	if err != nil {
		return fmt.Errorf("fold campaign names for search: %w", err)
	}
	type unfolded struct{ id, name, issue string }
	var todo []unfolded
	for rows.Next() {
		var u unfolded
		if err := rows.Scan(&u.id, &u.name, &u.issue); err != nil {
			rows.Close()
			return fmt.Errorf("fold campaign names for search: %w", err)
		}
		todo = append(todo, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("fold campaign names for search: %w", err)
	}
	// Written once all are read: PostgreSQL's pipe runs one statement at a
	// time on the transaction's connection.
	for _, u := range todo {
		if _, err := t.run.Exec(ctx, `UPDATE campaigns SET name_folded = ?, issue_folded = ? WHERE id = ?`,
			FoldedName(u.name), FoldedName(u.issue), u.id); err != nil {
			return fmt.Errorf("fold the name of campaign %s for search: %w", u.id, err)
		}
	}
	return nil
}
