package postgres

import (
	"context"
	"fmt"

	"github.com/textbank/textbank/backend/server/store"
)

// optedOutThreadsSQL is store.OptedOutThreadsSQL with each opt-out read
// by its key for certain: a LATERAL read that cannot be pulled up into a
// plain join (LIMIT), which the planner hashed over every opt-out of the
// organization for a page of 51 (TestOptOutsListReadsItsPage).
const optedOutThreadsSQL = `SELECT ` + store.OptedOutCols + ` FROM (` + store.OptedOutPageSQL + `) t
	CROSS JOIN LATERAL (SELECT * FROM opt_outs WHERE organization_id = t.organization_id AND phone = t.contact_phone LIMIT 1) o`

func (t *tx) OptedOutThreads(ctx context.Context, campaignID string, after store.OptedOutCursor, limit int) ([]store.OptedOutThread, error) {
	rows, err := t.query(ctx, optedOutThreadsSQL, store.OptedOutThreadsArgs(campaignID, after, limit)...)
	if err != nil {
		return nil, fmt.Errorf("opted-out threads of campaign %s: %w", campaignID, err)
	}
	defer rows.Close()
	var out []store.OptedOutThread
	for rows.Next() {
		x, err := store.ScanOptedOutThread(rows)
		if err != nil {
			return nil, fmt.Errorf("opted-out threads of campaign %s: %w", campaignID, err)
		}
		out = append(out, x)
	}
	return store.OptedOutPage(out), rows.Err()
}

func (t *tx) CountOptedOutThreads(ctx context.Context, campaignID string) (int, error) {
	var n int
	if err := t.queryRow(ctx, store.CountOptedOutThreadsSQL, campaignID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count opted-out threads of campaign %s: %w", campaignID, err)
	}
	return n, nil
}
