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

func (t *sqliteTx) StartsOf(ctx context.Context, campaignID string, phones []string) (map[string]Starts, error) {
	out := make(map[string]Starts)
	if len(phones) == 0 {
		return out, nil
	}
	list, err := idsParam(phones)
	if err != nil {
		return nil, fmt.Errorf("starts of %d numbers: %w", len(phones), err)
	}
	rows, err := t.tx.QueryContext(ctx, StartsSQL(`IN `+inIDs), campaignID, list, campaignID, list)
	if err != nil {
		return nil, fmt.Errorf("starts of %d numbers: %w", len(phones), err)
	}
	defer rows.Close()
	if err := ScanStarts(rows, out); err != nil {
		return nil, fmt.Errorf("starts of %d numbers: %w", len(phones), err)
	}
	return out, nil
}
