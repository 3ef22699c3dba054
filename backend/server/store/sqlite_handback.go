package store

import (
	"context"
	"fmt"
)

var sqliteHandBackHeld, sqliteHandBackFirstTexts, sqliteHandBackDrop = HandBackSQL(func(col string) string { return col + ` IN ` + inIDs })

func (t *sqliteTx) SupersedeHeldFeed(ctx context.Context, userID string, threadIDs []string) (map[string]bool, error) {
	if len(threadIDs) == 0 {
		return nil, nil
	}
	list, err := idsParam(threadIDs)
	if err != nil {
		return nil, fmt.Errorf("threads %s held before: %w", userID, err)
	}
	rows, err := t.tx.QueryContext(ctx, sqliteHandBackHeld, userID, list)
	if err != nil {
		return nil, fmt.Errorf("threads %s held before: %w", userID, err)
	}
	held, err := scanIDs(rows)
	if err != nil {
		return nil, fmt.Errorf("threads %s held before: %w", userID, err)
	}
	if len(held) == 0 {
		return nil, nil
	}
	if list, err = idsParam(held); err != nil {
		return nil, fmt.Errorf("threads %s held before: %w", userID, err)
	}
	if _, err := t.tx.ExecContext(ctx, sqliteHandBackFirstTexts, userID, list); err != nil {
		return nil, fmt.Errorf("first texts of threads handed back to %s: %w", userID, err)
	}
	if _, err := t.tx.ExecContext(ctx, sqliteHandBackDrop, userID, list, list, list); err != nil {
		return nil, fmt.Errorf("feed rows of threads handed back to %s: %w", userID, err)
	}
	out := make(map[string]bool, len(held))
	for _, id := range held {
		out[id] = true
	}
	return out, nil
}
