package store

import (
	"context"
	"fmt"
)

func (t *sqliteTx) OptedOutThreads(ctx context.Context, campaignID string, after OptedOutCursor, limit int) ([]OptedOutThread, error) {
	rows, err := t.tx.QueryContext(ctx, OptedOutThreadsSQL, OptedOutThreadsArgs(campaignID, after, limit)...)
	if err != nil {
		return nil, fmt.Errorf("opted-out threads of campaign %s: %w", campaignID, err)
	}
	defer rows.Close()
	var out []OptedOutThread
	for rows.Next() {
		x, err := ScanOptedOutThread(rows)
		if err != nil {
			return nil, fmt.Errorf("opted-out threads of campaign %s: %w", campaignID, err)
		}
		out = append(out, x)
	}
	return OptedOutPage(out), rows.Err()
}

func (t *sqliteTx) CountOptedOutThreads(ctx context.Context, campaignID string) (int, error) {
	var n int
	if err := t.tx.QueryRowContext(ctx, CountOptedOutThreadsSQL, campaignID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count opted-out threads of campaign %s: %w", campaignID, err)
	}
	return n, nil
}
