package store

import (
	"context"
	"fmt"
	"time"
)

// TrimTokensSQL deletes a user's tokens but newest and the keep-1 others
// most recently used (user, newest, user, newest, keep-1), naming each: a
// token never used counts from its sign-in. The sign-in just made is kept
// by its hash, not by its time: with the clock stepped back, or another
// server's ahead, older sign-ins can look used later than it was made.
const TrimTokensSQL = `DELETE FROM tokens WHERE user_id = ? AND hash <> ? AND hash NOT IN (
	SELECT hash FROM tokens WHERE user_id = ? AND hash <> ?
	ORDER BY COALESCE(last_used_at, created_at) DESC, created_at DESC, hash LIMIT ?)
	RETURNING hash`

// CountSignInsSQL counts the accounts with a token and the tokens.
const CountSignInsSQL = `SELECT COUNT(DISTINCT user_id), COUNT(*) FROM tokens`

func (t *sqliteTx) CountSignIns(ctx context.Context) (accounts, signIns int, err error) {
	if err := t.tx.QueryRowContext(ctx, CountSignInsSQL).Scan(&accounts, &signIns); err != nil {
		return 0, 0, fmt.Errorf("count sign-ins: %w", err)
	}
	return accounts, signIns, nil
}

func (t *sqliteTx) TrimUserTokens(ctx context.Context, userID string, keep int, newest string) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, TrimTokensSQL, userID, newest, userID, newest, max(keep-1, 0))
	if err != nil {
		return nil, fmt.Errorf("trim tokens of user %s: %w", userID, err)
	}
	gone, err := scanIDs(sqlRows{rows})
	if err != nil {
		return nil, fmt.Errorf("trim tokens of user %s: %w", userID, err)
	}
	return gone, nil
}

// DeleteEndedTokensSQL deletes a batch of ended tokens (idle before, made
// before, batch size), naming each; its test of the last use is
// TokenUser's (a token never used counts from its sign-in). The limit
// bounds how long one batch holds the write lock. On PostgreSQL every
// write transaction takes the database's write lock first, so servers
// purging at once delete batch after batch in turn, each naming only the
// tokens it deleted.
const DeleteEndedTokensSQL = `DELETE FROM tokens WHERE hash IN (
	SELECT hash FROM tokens WHERE COALESCE(last_used_at, created_at) < ? OR created_at < ? LIMIT ?)
	RETURNING hash`

func (t *sqliteTx) DeleteEndedTokens(ctx context.Context, idleBefore, madeBefore time.Time, limit int) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, DeleteEndedTokensSQL, TimeText(idleBefore), TimeText(madeBefore), limit)
	if err != nil {
		return nil, fmt.Errorf("delete ended tokens: %w", err)
	}
	gone, err := scanIDs(sqlRows{rows})
	if err != nil {
		return nil, fmt.Errorf("delete ended tokens: %w", err)
	}
	return gone, nil
}
