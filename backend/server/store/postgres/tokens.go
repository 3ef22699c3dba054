package postgres

import (
	"context"
	"fmt"
)

// TrimUserTokens deletes a user's tokens but the keep most recently used;
// the tokens trigger announces each to the other servers (migration 0009).
func (t *tx) TrimUserTokens(ctx context.Context, userID string, keep int) ([]string, error) {
	rows, err := t.query(ctx, `DELETE FROM tokens WHERE user_id = ? AND hash NOT IN (
		SELECT hash FROM tokens WHERE user_id = ?
		ORDER BY COALESCE(last_used_at, created_at) DESC, created_at DESC, hash LIMIT ?)
		RETURNING hash`, userID, userID, keep)
	if err != nil {
		return nil, fmt.Errorf("trim tokens of user %s: %w", userID, err)
	}
	defer rows.Close()
	var gone []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("trim tokens of user %s: %w", userID, err)
		}
		gone = append(gone, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("trim tokens of user %s: %w", userID, err)
	}
	return gone, nil
}
