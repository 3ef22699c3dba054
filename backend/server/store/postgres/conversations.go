package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// The end of a conversation (issue 7), with the SQLite engine's semantics
// (store/sqlite_conversations.go).

func (t *tx) MarkLikelyOptOut(ctx context.Context, messageID, threadID string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO likely_opt_outs (message_id, thread_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (message_id) DO NOTHING`, messageID, threadID, store.TimeText(at))
	if err != nil {
		return fmt.Errorf("flag message %s as a likely opt-out: %w", messageID, err)
	}
	return nil
}

func (t *tx) LikelyOptOuts(ctx context.Context, messageIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	err := eachByIDs(ctx, t, "likely opt-outs", `SELECT message_id FROM likely_opt_outs WHERE message_id = `+anyIDs, messageIDs,
		func(r interface{ Scan(...any) error }) error {
			var id string
			if err := r.Scan(&id); err != nil {
				return err
			}
			out[id] = true
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (t *tx) AddOptIn(ctx context.Context, o store.OptIn) error {
	_, err := t.exec(ctx, `INSERT INTO opt_ins (id, organization_id, campaign_id, phone, message_id, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, o.ID, o.OrganizationID, store.NullIfEmpty(o.CampaignID), o.Phone, o.MessageID, o.Body, store.TimeText(o.CreatedAt))
	if err != nil {
		return fmt.Errorf("record opt-in of %s: %w", o.Phone, err)
	}
	return nil
}

func (t *tx) AddAbuseReport(ctx context.Context, r store.AbuseReport) error {
	// ON CONFLICT: a failed statement would abort the whole transaction here,
	// and the caller goes on after ErrDuplicate.
	res, err := t.exec(ctx, `INSERT INTO abuse_reports (id, campaign_id, thread_id, user_id, reason, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, r.ID, r.CampaignID, r.ThreadID, r.UserID, r.Reason, r.Note, store.TimeText(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("record abuse report on %s: %w", r.ThreadID, err)
	}
	if !inserted(res) {
		return fmt.Errorf("abuse report %s: %w", r.ID, store.ErrDuplicate)
	}
	return nil
}

func scanReassignment(row interface{ Scan(...any) error }) (store.Reassignment, error) {
	var r store.Reassignment
	var at string
	if err := row.Scan(&r.ID, &r.ThreadID, &r.FromUserID, &r.ToUserID, &r.Note, &at); err != nil {
		return store.Reassignment{}, err
	}
	var err error
	r.CreatedAt, err = store.ParseTimeText(at)
	return r, err
}

func (t *tx) Reassignments(ctx context.Context, threadIDs []string) (map[string]store.Reassignment, error) {
	// The latest per thread; seq breaks a tie of equal times in insert order.
	return queryByIDs(ctx, t, "reassignments", `SELECT DISTINCT ON (thread_id) id, thread_id, from_user_id, to_user_id, note, created_at
		FROM reassignments WHERE thread_id = `+anyIDs+` ORDER BY thread_id, created_at DESC, seq DESC`,
		threadIDs, scanReassignment, func(r store.Reassignment) string { return r.ThreadID })
}

func (t *tx) ReassignedTo(ctx context.Context, userID, campaignID string, limit int) ([]store.Thread, error) {
	return t.queryThreads(ctx, "threads reassigned to "+userID, `SELECT `+prefixed("th.", threadCols)+` FROM threads th
		WHERE th.owner_id = ? AND th.campaign_id = ? AND th.blocked = 0
		AND EXISTS (SELECT 1 FROM reassignments r WHERE r.thread_id = th.id AND r.to_user_id = th.owner_id)
		ORDER BY (SELECT MAX(created_at) FROM reassignments r WHERE r.thread_id = th.id) DESC, th.id LIMIT ?`,
		userID, campaignID, limit)
}

func (t *tx) ThreadsOwnedInAction(ctx context.Context, ownerID, actionID string) ([]store.Thread, error) {
	return t.queryThreads(ctx, "threads of action "+actionID, `SELECT `+threadCols+` FROM threads
		WHERE owner_id = ? AND action_id = ? AND blocked = 0 ORDER BY created_at, id`, ownerID, actionID)
}

func (t *tx) ThreadChildren(ctx context.Context, threadID string) (messageIDs, reportIDs []string, err error) {
	for _, q := range []struct {
		sql string
		out *[]string
	}{
		{`SELECT id FROM messages WHERE thread_id = ? ORDER BY created_at, id`, &messageIDs},
		{`SELECT id FROM reports WHERE thread_id = ? ORDER BY submitted_at, id`, &reportIDs},
	} {
		if err := t.collectIDs(ctx, q.sql, threadID, q.out); err != nil {
			return nil, nil, fmt.Errorf("messages and reports of thread %s: %w", threadID, err)
		}
	}
	return messageIDs, reportIDs, nil
}

func (t *tx) collectIDs(ctx context.Context, q, arg string, out *[]string) error {
	rows, err := t.query(ctx, q, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		*out = append(*out, id)
	}
	return rows.Err()
}

func (t *tx) UsersByIDs(ctx context.Context, ids []string) (map[string]store.User, error) {
	return queryByIDs(ctx, t, "users by id", `SELECT `+userCols+` FROM users WHERE id = `+anyIDs, ids,
		scanUser, func(u store.User) string { return u.ID })
}

// prefixed qualifies each column of a column list with a table alias.
func prefixed(alias, cols string) string {
	fs := strings.Split(cols, ",")
	for i, f := range fs {
		fs[i] = alias + strings.TrimSpace(f)
	}
	return strings.Join(fs, ", ")
}
