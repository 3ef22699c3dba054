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

func (t *tx) StartsOf(ctx context.Context, campaignID string, phones []string) (map[string]store.Starts, error) {
	out := make(map[string]store.Starts)
	if len(phones) == 0 {
		return out, nil
	}
	rows, err := t.query(ctx, store.StartsSQL(`= `+anyIDs), campaignID, phones, campaignID, phones)
	if err != nil {
		return nil, fmt.Errorf("starts of %d numbers: %w", len(phones), err)
	}
	defer rows.Close()
	if err := store.ScanStarts(rows, out); err != nil {
		return nil, fmt.Errorf("starts of %d numbers: %w", len(phones), err)
	}
	return out, nil
}
