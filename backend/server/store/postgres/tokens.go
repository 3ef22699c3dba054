package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) CountSignIns(ctx context.Context) (accounts, signIns int, err error) {
	if err := t.queryRow(ctx, store.CountSignInsSQL).Scan(&accounts, &signIns); err != nil {
		return 0, 0, fmt.Errorf("count sign-ins: %w", err)
	}
	return accounts, signIns, nil
}

// TrimUserTokens deletes a user's tokens but the keep most recently used;
// the tokens trigger announces each to the other servers (migration 0009).
func (t *tx) TrimUserTokens(ctx context.Context, userID string, keep int, newest string) ([]string, error) {
	rows, err := t.query(ctx, store.TrimTokensSQL, userID, newest, userID, newest, max(keep-1, 0))
	if err != nil {
		return nil, fmt.Errorf("trim tokens of user %s: %w", userID, err)
	}
	gone, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("trim tokens of user %s: %w", userID, err)
	}
	return gone, nil
}

// DeleteEndedTokens deletes a batch of ended tokens; the tokens trigger
// announces each to the other servers (migration 0009).
func (t *tx) DeleteEndedTokens(ctx context.Context, idleBefore, madeBefore time.Time, limit int) ([]string, error) {
	rows, err := t.query(ctx, store.DeleteEndedTokensSQL, store.TimeText(idleBefore), store.TimeText(madeBefore), limit)
	if err != nil {
		return nil, fmt.Errorf("delete ended tokens: %w", err)
	}
	gone, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("delete ended tokens: %w", err)
	}
	return gone, nil
}
