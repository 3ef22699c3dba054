package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) MutationByID(ctx context.Context, id string) (store.Mutation, error) {
	var m store.Mutation
	var result, at string
	err := t.queryRow(ctx, `SELECT id, user_id, type, fingerprint, result, created_at FROM mutations WHERE id = ?`, id).
		Scan(&m.ID, &m.UserID, &m.Type, &m.Fingerprint, &result, &at)
	if err != nil {
		return store.Mutation{}, notFound(err, "mutation "+id)
	}
	if err := json.Unmarshal([]byte(result), &m.Result); err != nil {
		return store.Mutation{}, fmt.Errorf("stored result of mutation %s: %w", id, err)
	}
	m.CreatedAt, err = store.ParseTimeText(at)
	return m, err
}

func (t *tx) PutMutation(ctx context.Context, m store.Mutation) error {
	result, err := json.Marshal(m.Result)
	if err != nil {
		return fmt.Errorf("encode result of mutation %s: %w", m.ID, err)
	}
	err = t.insertOnce(ctx, "mutation "+m.ID, "record mutation "+m.ID,
		`INSERT INTO mutations (id, user_id, type, fingerprint, result, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		m.ID, m.UserID, m.Type, store.FingerprintOrNil(m.Fingerprint), string(result), store.TimeText(m.CreatedAt))
	// The mutation is a claimed first text's last write: the push's next
	// mutation, in the same fn, is not covered by that claim.
	t.claimed = false
	return err
}

// AppendFeed writes a feed row. Its transaction holds the write lock
// (holdWriteLock), so seqs are handed out in commit order.
func (t *tx) AppendFeed(ctx context.Context, userID, kind, entityID string, at time.Time) (int64, error) {
	var seq int64
	err := t.queryRow(ctx, `INSERT INTO feed (user_id, kind, entity_id, created_at) VALUES (?, ?, ?, ?) RETURNING seq`,
		userID, kind, entityID, store.TimeText(at)).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("append %s %s to feed of %s: %w", kind, entityID, userID, err)
	}
	if t.notify == nil {
		t.notify = map[string]struct{}{}
	}
	t.notify[userID] = struct{}{}
	return seq, nil
}

// AdminChanged records the campaign, announced with the commit on
// adminChannel.
func (t *tx) AdminChanged(campaignID string) {
	if t.admin == nil {
		t.admin = map[string]struct{}{}
	}
	t.admin[campaignID] = struct{}{}
}

// RolesChanged records the user, announced with the commit on
// rolesChannel.
func (t *tx) RolesChanged(userID string) {
	if t.roles == nil {
		t.roles = map[string]struct{}{}
	}
	t.roles[userID] = struct{}{}
}

// rolesChannel carries, on every commit that may have changed a user's
// memberships or admin rights (RolesChanged), the user's id.
const rolesChannel = "textbank_roles"

// adminChannel carries, on every commit that changed what a campaign's
// Admin section shows (AdminChanged), the campaign's id.
const adminChannel = "textbank_admin"

// feedChannel carries, on every commit that appended feed rows, the id of
// each user concerned (ListenFeed).
const feedChannel = "textbank_feed"

// notifyFeed holds one notification per user whose feed grew, to go with
// the commit; PostgreSQL delivers them when (and only if) the transaction
// commits. A user of a fn
// rolled back to its savepoint may be poked for nothing, which is harmless:
// a stream only sends a version it has not sent.
func (t *tx) notifyFeed() {
	if len(t.admin) > 0 {
		t.q.hold("announce Admin section changes", `SELECT pg_notify($1, c) FROM unnest($2::text[]) AS c`, adminChannel, slices.Collect(maps.Keys(t.admin)))
	}
	if len(t.roles) > 0 {
		t.q.hold("announce role changes", `SELECT pg_notify($1, u) FROM unnest($2::text[]) AS u`, rolesChannel, slices.Collect(maps.Keys(t.roles)))
	}
	if len(t.notify) == 0 {
		return
	}
	users := make([]string, 0, len(t.notify))
	for u := range t.notify {
		users = append(users, u)
	}
	t.q.hold("announce feed changes", `SELECT pg_notify($1, u) FROM unnest($2::text[]) AS u`, feedChannel, users)
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

func (t *tx) SupersededFeed(ctx context.Context, userID string, limit int) ([]int64, error) {
	rows, err := t.query(ctx, store.SupersededFeedSQL, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("superseded feed rows of %s: %w", userID, err)
	}
	seqs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("superseded feed rows of %s: %w", userID, err)
	}
	return seqs, nil
}

func (t *tx) DeleteFeed(ctx context.Context, seqs []int64) (int64, error) {
	if len(seqs) == 0 {
		return 0, nil
	}
	tag, err := t.exec(ctx, `DELETE FROM feed WHERE seq = ANY(?)`, seqs)
	if err != nil {
		return 0, fmt.Errorf("delete %d feed rows: %w", len(seqs), err)
	}
	return tag.RowsAffected(), nil
}

// RefeedContacts is store.Shared's, with the holders announced at commit
// as any feed row's user is.
func (t *tx) RefeedContacts(ctx context.Context, actionID string, at time.Time) ([]string, error) {
	holders, err := t.Shared.RefeedContacts(ctx, actionID, at)
	if err != nil {
		return nil, err
	}
	if t.notify == nil {
		t.notify = map[string]struct{}{}
	}
	for _, u := range holders {
		t.notify[u] = struct{}{}
	}
	return holders, nil
}
