package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/textbank/textbank/backend/api"
)

// MessageRow is a message of an open thread.
type MessageRow struct {
	api.Message
	Pending bool   // its mutation has not been accepted yet
	Error   string // the server's reason when it refused it
}

// ThreadDetail is an open thread: its state as the volunteer sees it (local
// effects included), its messages oldest first and its reports newest first.
type ThreadDetail struct {
	Thread         api.Thread
	NeedsAttention bool
	Unread         bool
	// OptOutUndecided: a reply reads like a request to stop and no report
	// has decided it (inbox.OptOutUndecided, the row's column).
	OptOutUndecided bool
	Messages        []MessageRow
	Reports         []api.Report
	// PendingReports are the ids of its reports still waiting for the
	// server (not yet accepted, not refused): a report shows in the
	// thread at once, and only this tells it from one the server has.
	PendingReports []string
}

// Thread returns one thread, or ErrNotFound.
func (c *Cache) Thread(ctx context.Context, id string) (ThreadDetail, error) {
	var d ThreadDetail
	var data string
	var lastAt int64
	var in, out, read, report sql.NullInt64
	var archived, optedOut, blocked, unread, attention, undecided int
	err := c.db.QueryRowContext(ctx, `SELECT data, last_message_at, last_inbound_at, last_outbound_at, last_read_at, last_report_at,
			archived, opted_out, blocked, unread, needs_attention, opt_out_undecided FROM threads WHERE id = ?`, id).
		Scan(&data, &lastAt, &in, &out, &read, &report, &archived, &optedOut, &blocked, &unread, &attention, &undecided)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("thread %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("read thread %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(data), &d.Thread); err != nil {
		return d, fmt.Errorf("decode thread %s: %w", id, err)
	}
	t := &d.Thread
	t.LastMessageAt = fromNanos(lastAt)
	t.LastInboundAt, t.LastOutboundAt, t.LastReadAt, t.LastReportAt = fromNull(in), fromNull(out), fromNull(read), fromNull(report)
	t.Archived, t.OptedOut, t.Blocked = archived == 1, optedOut == 1, blocked == 1
	d.Unread, d.NeedsAttention, d.OptOutUndecided = unread == 1, attention == 1, undecided == 1

	rows, err := c.db.QueryContext(ctx, `SELECT id, thread_id, direction, body, status, initial, created_at, pending, error, likely_opt_out,
		  sent_by, sent_by_name
		FROM messages WHERE thread_id = ? ORDER BY created_at, rowid`, id)
	if err != nil {
		return d, fmt.Errorf("read messages of %s: %w", id, err)
	}
	defer rows.Close()
	d.Messages = []MessageRow{}
	for rows.Next() {
		var m MessageRow
		var initial, pending, likely int
		var created int64
		if err := rows.Scan(&m.ID, &m.ThreadID, &m.Direction, &m.Body, &m.Status, &initial, &created, &pending, &m.Error, &likely, &m.SentBy, &m.SentByName); err != nil {
			return d, fmt.Errorf("read messages of %s: %w", id, err)
		}
		m.Initial, m.Pending, m.CreatedAt, m.LikelyOptOut = initial == 1, pending == 1, fromNanos(created), likely == 1
		d.Messages = append(d.Messages, m)
	}
	if err := rows.Err(); err != nil {
		return d, fmt.Errorf("read messages of %s: %w", id, err)
	}
	d.Reports, err = queryJSON[api.Report](ctx, c.db, "reports", `SELECT data FROM reports WHERE thread_id = ? ORDER BY submitted_at DESC`, id)
	if err != nil {
		return d, err
	}
	d.PendingReports, err = c.pendingReports(ctx, id)
	return d, err
}

// pendingReports are the ids of the reports on thread id the outbox still
// holds for the server, oldest first.
func (c *Cache) pendingReports(ctx context.Context, id string) ([]string, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT json_extract(payload, '$.reportId') FROM outbox
		WHERE thread_id = ? AND type = ? AND rejected = 0 ORDER BY seq`, id, api.MutReport)
	if err != nil {
		return nil, fmt.Errorf("read pending reports of %s: %w", id, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, fmt.Errorf("read pending reports of %s: %w", id, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read pending reports of %s: %w", id, err)
	}
	return out, nil
}
