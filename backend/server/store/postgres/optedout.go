package postgres

import (
	"context"
	"fmt"

	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) OptedOutThreads(ctx context.Context, campaignID string, after store.OptedOutCursor, limit int) ([]store.OptedOutThread, error) {
	rows, err := t.query(ctx, store.OptedOutThreadsSQL, store.OptedOutThreadsArgs(campaignID, after, limit)...)
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
	return out, rows.Err()
}

func (t *tx) CountOptedOutThreads(ctx context.Context, campaignID string) (int, error) {
	var n int
	if err := t.queryRow(ctx, store.CountOptedOutThreadsSQL, campaignID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count opted-out threads of campaign %s: %w", campaignID, err)
	}
	return n, nil
}
