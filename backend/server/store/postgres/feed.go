package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) MutationByID(ctx context.Context, id string) (store.Mutation, error) {
	var m store.Mutation
	var result, at string
	err := t.queryRow(ctx, `SELECT id, user_id, type, result, created_at FROM mutations WHERE id = ?`, id).
		Scan(&m.ID, &m.UserID, &m.Type, &result, &at)
	if err != nil {
		return store.Mutation{}, notFound(err, "mutation "+id)
	}
	if err := json.Unmarshal([]byte(result), &m.Result); err != nil {
		return store.Mutation{}, fmt.Errorf("stored result of mutation %s: %w", id, err)
	}
	m.CreatedAt, err = parseTS(at)
	return m, err
}

func (t *tx) PutMutation(ctx context.Context, m store.Mutation) error {
	result, err := json.Marshal(m.Result)
	if err != nil {
		return fmt.Errorf("encode result of mutation %s: %w", m.ID, err)
	}
	res, err := t.exec(ctx, `INSERT INTO mutations (id, user_id, type, result, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		m.ID, m.UserID, m.Type, string(result), ts(m.CreatedAt))
	if err == nil && !inserted(res) {
		return fmt.Errorf("mutation %s: %w", m.ID, store.ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("record mutation %s: %w", m.ID, err)
	}
	return nil
}

// AppendFeed notes a feed row; it is written when the transaction commits
// (flushFeed), which is when its seq is known: it returns 0.
func (t *tx) AppendFeed(ctx context.Context, userID, kind, entityID string, at time.Time) (int64, error) {
	t.feed = append(t.feed, feedRow{userID: userID, kind: kind, entityID: entityID, at: ts(at)})
	return 0, nil
}

// feedChannel carries, on every commit that appended feed rows, the id of
// each user concerned (ListenFeed).
const feedChannel = "textbank_feed"

// flushFeed writes the transaction's feed rows just before it commits,
// under a transaction-level advisory lock that the commit releases. Seqs
// are thus handed out in commit order: a reader that has seen seq N will
// never later find a row below N appear (which a plain sequence allows
// when transactions commit out of order, and a sync cursor would skip it).
// The lock is held only for this insert and the commit, never while the
// transaction waits on anything else, so it cannot deadlock.
func (t *tx) flushFeed(ctx context.Context) error {
	if len(t.feed) == 0 {
		return nil
	}
	n := len(t.feed)
	users, kinds, ids, ats := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	seen := map[string]bool{}
	var notify []string
	for i, r := range t.feed {
		users[i], kinds[i], ids[i], ats[i] = r.userID, r.kind, r.entityID, r.at
		if !seen[r.userID] {
			seen[r.userID] = true
			notify = append(notify, r.userID)
		}
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT pg_advisory_xact_lock($1)`, feedLock)
	b.Queue(`INSERT INTO feed (user_id, kind, entity_id, created_at)
		SELECT u, k, e, a FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS r(u, k, e, a, n)
		ORDER BY n`, users, kinds, ids, ats)
	b.Queue(`SELECT pg_notify($1, u) FROM unnest($2::text[]) AS u`, feedChannel, notify)
	if err := t.q.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("append %d feed rows: %w", n, err)
	}
	return nil
}

func (t *tx) FeedAfter(ctx context.Context, userID string, cursor int64, limit int) ([]store.FeedRow, error) {
	rows, err := t.query(ctx, `SELECT seq, user_id, kind, entity_id FROM feed
		WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?`, userID, cursor, limit)
	if err != nil {
		return nil, fmt.Errorf("feed of %s after %d: %w", userID, cursor, err)
	}
	defer rows.Close()
	var out []store.FeedRow
	for rows.Next() {
		var r store.FeedRow
		if err := rows.Scan(&r.Seq, &r.UserID, &r.Kind, &r.EntityID); err != nil {
			return nil, fmt.Errorf("feed of %s: %w", userID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (t *tx) LatestSeq(ctx context.Context, userID string) (int64, error) {
	var seq int64
	err := t.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM feed WHERE user_id = ?`, userID).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("latest version of %s: %w", userID, err)
	}
	return seq, nil
}
