package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

func (t *sqliteTx) MutationByID(ctx context.Context, id string) (Mutation, error) {
	var m Mutation
	var result, at string
	err := t.tx.QueryRowContext(ctx, `SELECT id, user_id, type, fingerprint, result, created_at FROM mutations WHERE id = ?`, id).
		Scan(&m.ID, &m.UserID, &m.Type, &m.Fingerprint, &result, &at)
	if err != nil {
		return Mutation{}, notFound(err, "mutation "+id)
	}
	if err := json.Unmarshal([]byte(result), &m.Result); err != nil {
		return Mutation{}, fmt.Errorf("stored result of mutation %s: %w", id, err)
	}
	m.CreatedAt, err = ParseTimeText(at)
	return m, err
}

func (t *sqliteTx) PutMutation(ctx context.Context, m Mutation) error {
	result, err := json.Marshal(m.Result)
	if err != nil {
		return fmt.Errorf("encode result of mutation %s: %w", m.ID, err)
	}
	_, err = t.tx.ExecContext(ctx, `INSERT INTO mutations (id, user_id, type, fingerprint, result, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		m.ID, m.UserID, m.Type, FingerprintOrNil(m.Fingerprint), string(result), TimeText(m.CreatedAt))
	if isUnique(err) {
		return fmt.Errorf("mutation %s: %w", m.ID, ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("record mutation %s: %w", m.ID, err)
	}
	return nil
}

func (t *sqliteTx) AppendFeed(ctx context.Context, userID, kind, entityID string, at time.Time) (int64, error) {
	res, err := t.tx.ExecContext(ctx, `INSERT INTO feed (user_id, kind, entity_id, created_at) VALUES (?, ?, ?, ?)`,
		userID, kind, entityID, TimeText(at))
	if err != nil {
		return 0, fmt.Errorf("append %s %s to feed of %s: %w", kind, entityID, userID, err)
	}
	return res.LastInsertId()
}

// AdminChanged announces nothing: SQLite has no channel between processes
// (Server.WatchFeed notices other processes' writes).
func (t *sqliteTx) AdminChanged(string) {}

// RolesChanged announces nothing, as AdminChanged.
func (t *sqliteTx) RolesChanged(string) {}

func (t *sqliteTx) FeedAfter(ctx context.Context, userID string, cursor int64, limit int) ([]FeedRow, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT seq, user_id, kind, entity_id FROM feed
		WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?`, userID, cursor, limit)
	if err != nil {
		return nil, fmt.Errorf("feed of %s after %d: %w", userID, cursor, err)
	}
	defer rows.Close()
	var out []FeedRow
	for rows.Next() {
		var r FeedRow
		if err := rows.Scan(&r.Seq, &r.UserID, &r.Kind, &r.EntityID); err != nil {
			return nil, fmt.Errorf("feed of %s: %w", userID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (t *sqliteTx) LatestSeq(ctx context.Context, userID string) (int64, error) {
	var seq int64
	err := t.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM feed WHERE user_id = ?`, userID).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("latest version of %s: %w", userID, err)
	}
	return seq, nil
}

func (t *sqliteTx) SupersededFeed(ctx context.Context, userID string, limit int) ([]int64, error) {
	rows, err := t.tx.QueryContext(ctx, SupersededFeedSQL, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("superseded feed rows of %s: %w", userID, err)
	}
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, fmt.Errorf("superseded feed rows of %s: %w", userID, err)
		}
		seqs = append(seqs, seq)
	}
	return seqs, rows.Err()
}

func (t *sqliteTx) DeleteFeed(ctx context.Context, seqs []int64) (int64, error) {
	if len(seqs) == 0 {
		return 0, nil
	}
	list, err := json.Marshal(seqs)
	if err != nil {
		return 0, fmt.Errorf("encode feed rows to delete: %w", err)
	}
	res, err := t.tx.ExecContext(ctx, `DELETE FROM feed WHERE seq IN `+inIDs, string(list))
	if err != nil {
		return 0, fmt.Errorf("delete %d feed rows: %w", len(seqs), err)
	}
	return res.RowsAffected()
}
