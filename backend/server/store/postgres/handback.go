package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store"
)

var handBackHeld, handBackRows, handBackFirstTexts = store.HandBackSQL(func(col string) string { return col + ` = ` + anyIDs }, `= ANY(?::bigint[])`)

// SupersedeHeldFeed is store/sqlite_handback.go's, in the same statements.
func (t *tx) SupersedeHeldFeed(ctx context.Context, userID string, threadIDs []string) (map[string]bool, error) {
	if len(threadIDs) == 0 {
		return nil, nil
	}
	rows, err := t.query(ctx, handBackHeld, userID, threadIDs)
	if err != nil {
		return nil, fmt.Errorf("threads %s held before: %w", userID, err)
	}
	held, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("threads %s held before: %w", userID, err)
	}
	if len(held) == 0 {
		return nil, nil
	}
	if rows, err = t.query(ctx, handBackRows, userID, held, held, held); err != nil {
		return nil, fmt.Errorf("feed rows of threads handed back to %s: %w", userID, err)
	}
	var firstTexts, others []int64
	var seq int64
	var first bool
	if _, err := pgx.ForEachRow(rows, []any{&seq, &first}, func() error {
		if first {
			firstTexts = append(firstTexts, seq)
		} else {
			others = append(others, seq)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("feed rows of threads handed back to %s: %w", userID, err)
	}
	if len(firstTexts) > 0 {
		if _, err := t.exec(ctx, handBackFirstTexts, firstTexts); err != nil {
			return nil, fmt.Errorf("first texts of threads handed back to %s: %w", userID, err)
		}
	}
	if _, err := t.DeleteFeed(ctx, others); err != nil {
		return nil, fmt.Errorf("feed rows of threads handed back to %s: %w", userID, err)
	}
	out := make(map[string]bool, len(held))
	for _, id := range held {
		out[id] = true
	}
	return out, nil
}
