package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

func (t *sqliteTx) MarkLikelyOptOut(ctx context.Context, messageID, threadID string, at time.Time) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO likely_opt_outs (message_id, thread_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (message_id) DO NOTHING`, messageID, threadID, TimeText(at))
	if err != nil {
		return fmt.Errorf("flag message %s as a likely opt-out: %w", messageID, err)
	}
	return nil
}

func (t *sqliteTx) LikelyOptOuts(ctx context.Context, messageIDs []string) (map[string]bool, error) {
	rows, err := queryByIDs(ctx, t.tx, "likely opt-outs", `SELECT message_id FROM likely_opt_outs WHERE message_id IN `+inIDs,
		messageIDs, func(r interface{ Scan(...any) error }) (string, error) {
			var id string
			return id, r.Scan(&id)
		}, func(id string) string { return id })
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(rows))
	for id := range rows {
		out[id] = true
	}
	return out, nil
}

func (t *sqliteTx) AddOptIn(ctx context.Context, o OptIn) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO opt_ins (id, organization_id, campaign_id, phone, message_id, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, o.ID, o.OrganizationID, NullIfEmpty(o.CampaignID), o.Phone, o.MessageID, o.Body, TimeText(o.CreatedAt))
	if err != nil {
		return fmt.Errorf("record opt-in of %s: %w", o.Phone, err)
	}
	return nil
}

func (t *sqliteTx) AddAbuseReport(ctx context.Context, r AbuseReport) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO abuse_reports (id, campaign_id, thread_id, user_id, reason, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ID, r.CampaignID, r.ThreadID, r.UserID, r.Reason, r.Note, TimeText(r.CreatedAt))
	if isUnique(err) {
		return fmt.Errorf("abuse report %s: %w", r.ID, ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("record abuse report on %s: %w", r.ThreadID, err)
	}
	return nil
}

const reassignmentCols = `id, thread_id, from_user_id, to_user_id, note, created_at`

func scanReassignment(row interface{ Scan(...any) error }) (Reassignment, error) {
	var r Reassignment
	var at string
	if err := row.Scan(&r.ID, &r.ThreadID, &r.FromUserID, &r.ToUserID, &r.Note, &at); err != nil {
		return Reassignment{}, err
	}
	var err error
	r.CreatedAt, err = ParseTimeText(at)
	return r, err
}

func (t *sqliteTx) Reassignments(ctx context.Context, threadIDs []string) (map[string]Reassignment, error) {
	// The latest per thread: rowid breaks a tie of equal times in insert order.
	return queryByIDs(ctx, t.tx, "reassignments", `SELECT `+reassignmentCols+` FROM reassignments r
		WHERE r.rowid = (SELECT rowid FROM reassignments WHERE thread_id = r.thread_id ORDER BY created_at DESC, rowid DESC LIMIT 1)
		AND r.thread_id IN `+inIDs, threadIDs, scanReassignment, func(r Reassignment) string { return r.ThreadID })
}

func (t *sqliteTx) ReassignedTo(ctx context.Context, userID, campaignID string, limit int) ([]Thread, error) {
	return t.queryThreads(ctx, "threads reassigned to "+userID, `SELECT `+prefixed("th.", threadCols)+` FROM threads th
		WHERE th.owner_id = ? AND th.campaign_id = ? AND th.blocked = 0
		AND EXISTS (SELECT 1 FROM reassignments r WHERE r.thread_id = th.id AND r.to_user_id = th.owner_id)
		ORDER BY (SELECT MAX(created_at) FROM reassignments r WHERE r.thread_id = th.id) DESC, th.id LIMIT ?`,
		userID, campaignID, limit)
}

func (t *sqliteTx) ThreadsOwnedInAction(ctx context.Context, ownerID, actionID string) ([]Thread, error) {
	return t.queryThreads(ctx, "threads of action "+actionID, `SELECT `+threadCols+` FROM threads
		WHERE owner_id = ? AND action_id = ? AND blocked = 0 ORDER BY created_at, id`, ownerID, actionID)
}

func (t *sqliteTx) ThreadChildren(ctx context.Context, threadID string) (messageIDs, reportIDs []string, err error) {
	for _, q := range []struct {
		sql string
		out *[]string
	}{
		{`SELECT id FROM messages WHERE thread_id = ? ORDER BY created_at, rowid`, &messageIDs},
		{`SELECT id FROM reports WHERE thread_id = ? ORDER BY submitted_at, id`, &reportIDs},
	} {
		if err := t.collectIDs(ctx, q.sql, threadID, q.out); err != nil {
			return nil, nil, fmt.Errorf("messages and reports of thread %s: %w", threadID, err)
		}
	}
	return messageIDs, reportIDs, nil
}

func (t *sqliteTx) collectIDs(ctx context.Context, q, arg string, out *[]string) error {
	rows, err := t.tx.QueryContext(ctx, q, arg)
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

func (t *sqliteTx) UsersByIDs(ctx context.Context, ids []string) (map[string]User, error) {
	return queryByIDs(ctx, t.tx, "users by id", `SELECT `+userCols+` FROM users WHERE id IN `+inIDs, ids,
		scanUser, func(u User) string { return u.ID })
}

// prefixed qualifies each column of a column list with a table alias.
func prefixed(alias, cols string) string {
	fs := strings.Split(cols, ",")
	for i, f := range fs {
		fs[i] = alias + strings.TrimSpace(f)
	}
	return strings.Join(fs, ", ")
}
