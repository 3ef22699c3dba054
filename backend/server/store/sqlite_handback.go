package store

import (
	"context"
	"encoding/json"
	"fmt"
)

var sqliteHandBackHeld, sqliteHandBackRows, sqliteHandBackFirstTexts = HandBackSQL(func(col string) string { return col + ` IN ` + inIDs }, `IN `+inIDs)

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
	held, err := scanIDs(sqlRows{rows})
	if err != nil {
		return nil, fmt.Errorf("threads %s held before: %w", userID, err)
	}
	if len(held) == 0 {
		return nil, nil
	}
	if list, err = idsParam(held); err != nil {
		return nil, fmt.Errorf("threads %s held before: %w", userID, err)
	}
	firstTexts, others, err := t.handedBackRows(ctx, userID, list)
	if err != nil {
		return nil, fmt.Errorf("feed rows of threads handed back to %s: %w", userID, err)
	}
	if len(firstTexts) > 0 {
		seqs, err := json.Marshal(firstTexts)
		if err != nil {
			return nil, fmt.Errorf("first texts of threads handed back to %s: %w", userID, err)
		}
		if _, err := t.tx.ExecContext(ctx, sqliteHandBackFirstTexts, string(seqs)); err != nil {
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

// handedBackRows lists userID's feed rows of the threads of list (a JSON
// id list): the first texts' and the others', by seq.
func (t *sqliteTx) handedBackRows(ctx context.Context, userID, list string) (firstTexts, others []int64, err error) {
	rows, err := t.tx.QueryContext(ctx, sqliteHandBackRows, userID, list, list, list)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var first bool
		if err := rows.Scan(&seq, &first); err != nil {
			return nil, nil, err
		}
		if first {
			firstTexts = append(firstTexts, seq)
		} else {
			others = append(others, seq)
		}
	}
	return firstTexts, others, rows.Err()
}
