package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
)

// upsertThread stores a thread's base state; refreshThread must follow in the
// same transaction to bring the derived columns up to date.
func upsertThread(ctx context.Context, tx *sql.Tx, t api.Thread, fromServer bool) error {
	data, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("encode thread: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO threads(id, action_id, campaign_id, action_type, contact_name, contact_phone, search, data, from_server,
			last_message_at, archived, opted_out, blocked, unread, needs_attention)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0)
		ON CONFLICT(id) DO UPDATE SET action_id = excluded.action_id, campaign_id = excluded.campaign_id,
			action_type = excluded.action_type, contact_name = excluded.contact_name, contact_phone = excluded.contact_phone,
			search = excluded.search, data = excluded.data, from_server = excluded.from_server`,
		t.ID, t.ActionID, t.CampaignID, t.ActionType, t.ContactName, t.ContactPhone,
		searchKey(t.ContactName, t.ContactPhone), string(data), boolInt(fromServer), nanos(t.LastMessageAt))
	return err
}

// refreshThread recomputes a thread's derived columns from three sources:
// the thread as the server last sent it, the messages and reports held
// locally (which may be newer than that thread row, or not yet on the
// server), and the effects of its mutations still waiting in the outbox.
// The flags come from backend/inbox, so SQL filters and the rules agree.
func refreshThread(ctx context.Context, tx *sql.Tx, id string) error {
	var data string
	err := tx.QueryRowContext(ctx, `SELECT data FROM threads WHERE id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // messages of a thread not (yet) visible: nothing to derive
	}
	if err != nil {
		return fmt.Errorf("refresh thread %s: %w", id, err)
	}
	var t api.Thread
	if err := json.Unmarshal([]byte(data), &t); err != nil {
		return fmt.Errorf("refresh thread %s: decode: %w", id, err)
	}
	if err := overlayLocal(ctx, tx, &t); err != nil {
		return fmt.Errorf("refresh thread %s: %w", id, err)
	}
	var lastBody string
	var lastAt sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT body, created_at FROM messages WHERE thread_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`, id).Scan(&lastBody, &lastAt)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("refresh thread %s: last message: %w", id, err)
	}
	lastMessageAt := t.LastMessageAt
	if at := fromNull(lastAt); at != nil && at.After(lastMessageAt) {
		lastMessageAt = *at
	}
	s := InboxState(t)
	_, err = tx.ExecContext(ctx, `UPDATE threads SET last_message_at = ?, last_message_body = ?,
			last_inbound_at = ?, last_outbound_at = ?, last_read_at = ?, last_report_at = ?,
			archived = ?, opted_out = ?, blocked = ?, unread = ?, needs_attention = ?, archived_reason = ?
		WHERE id = ?`,
		nanos(lastMessageAt), lastBody,
		nullNanos(t.LastInboundAt), nullNanos(t.LastOutboundAt), nullNanos(t.LastReadAt), nullNanos(t.LastReportAt),
		boolInt(t.Archived), boolInt(t.OptedOut), boolInt(t.Blocked),
		boolInt(inbox.IsUnread(s)), boolInt(inbox.NeedsAttentionNow(s)), t.ArchivedReason, id)
	if err != nil {
		return fmt.Errorf("refresh thread %s: %w", id, err)
	}
	return nil
}

// overlayLocal lays local knowledge over the server's thread state.
func overlayLocal(ctx context.Context, tx *sql.Tx, t *api.Thread) error {
	// Messages the server refused or failed to send are no answer to anyone.
	rows, err := tx.QueryContext(ctx, `SELECT direction, MAX(created_at) FROM messages
		WHERE thread_id = ? AND error = '' AND status != ? GROUP BY direction`, t.ID, api.StatusFailed)
	if err != nil {
		return fmt.Errorf("message times: %w", err)
	}
	for rows.Next() {
		var dir string
		var at sql.NullInt64
		if err := rows.Scan(&dir, &at); err != nil {
			rows.Close()
			return err
		}
		switch dir {
		case api.DirInbound:
			t.LastInboundAt = later(t.LastInboundAt, fromNull(at))
		case api.DirOutbound:
			t.LastOutboundAt = later(t.LastOutboundAt, fromNull(at))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var reportAt sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(submitted_at) FROM reports WHERE thread_id = ?`, t.ID).Scan(&reportAt); err != nil {
		return fmt.Errorf("report time: %w", err)
	}
	t.LastReportAt = later(t.LastReportAt, fromNull(reportAt))

	return overlayPending(ctx, tx, t)
}

// InboxState reads the inbox rules' inputs off a thread.
func InboxState(t api.Thread) inbox.State {
	return inbox.State{
		ActionType:     t.ActionType,
		Archived:       t.Archived,
		OptedOut:       t.OptedOut,
		Blocked:        t.Blocked,
		LastInboundAt:  t.LastInboundAt,
		LastOutboundAt: t.LastOutboundAt,
		LastReadAt:     t.LastReadAt,
		LastReportAt:   t.LastReportAt,
	}
}

// searchKey is what thread search matches against: the name in lower case
// and the number as bare digits, so "555 0101" finds "+15550101".
func searchKey(name, phone string) string {
	return strings.ToLower(name) + " | " + digits(phone)
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// searchPattern turns what the volunteer typed into a LIKE pattern: a query
// of digits and phone punctuation searches numbers, anything else names.
func searchPattern(q string) string {
	q = strings.TrimSpace(q)
	if q == "" {
		return ""
	}
	isNumber := strings.IndexFunc(q, func(r rune) bool {
		return !(unicode.IsDigit(r) || strings.ContainsRune("+-() .", r))
	}) < 0
	if isNumber && digits(q) != "" {
		q = digits(q)
	} else {
		q = strings.ToLower(q)
	}
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}
