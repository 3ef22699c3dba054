package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// pendingMessagesSQL reads the partial index messages_pending: only
// unfinished texts, however many were sent before.
const pendingMessagesSQL = `SELECT m.id, m.thread_id, m.body, m.status, m.created_at, m.sender_id,
	th.sending_number, th.contact_phone, th.owner_id, th.organization_id
	FROM messages m JOIN threads th ON th.id = m.thread_id
	WHERE m.status = ? AND m.status IN ('queued', 'sending')
	ORDER BY m.created_at, m.id LIMIT ?`

// cancelQueuedSQL fails the queued texts of a list of threads, one JSON
// array (messages_thread_initial finds each thread's messages; few are
// ever queued at once).
const cancelQueuedSQL = `UPDATE messages SET status = 'failed', error = ?
	WHERE thread_id IN ` + inIDs + ` AND status = 'queued' RETURNING thread_id, id, created_at`

func (t *sqliteTx) CancelQueued(ctx context.Context, threadIDs []string, errText string) (map[string][]string, error) {
	if len(threadIDs) == 0 {
		return map[string][]string{}, nil
	}
	list, err := idsParam(threadIDs)
	if err != nil {
		return nil, fmt.Errorf("cancel queued texts of %d threads: %w", len(threadIDs), err)
	}
	rows, err := t.tx.QueryContext(ctx, cancelQueuedSQL, errText, list)
	if err != nil {
		return nil, fmt.Errorf("cancel queued texts of %d threads: %w", len(threadIDs), err)
	}
	defer rows.Close()
	var got []CancelledText
	for rows.Next() {
		var c CancelledText
		if err := rows.Scan(&c.ThreadID, &c.ID, &c.CreatedAt); err != nil {
			return nil, fmt.Errorf("cancel queued texts of %d threads: %w", len(threadIDs), err)
		}
		got = append(got, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cancel queued texts of %d threads: %w", len(threadIDs), err)
	}
	return ByThreadOldestFirst(got), nil
}

// scanIDs reads a column of ids.
func (t *sqliteTx) PendingMessages(ctx context.Context, status string, limit int) ([]Outgoing, error) {
	rows, err := t.tx.QueryContext(ctx, pendingMessagesSQL, status, limit)
	if err != nil {
		return nil, fmt.Errorf("%s messages: %w", status, err)
	}
	return scanOutgoing(rows, status)
}

// ownSendingSQL pages through messages_pending's sending texts in its
// order (its predicate spelled out, as SQLite needs to use it; the row
// value, so that a page seeks to its start); a database has one server,
// so every one is this server's.
const ownSendingSQL = `SELECT m.id, m.thread_id, m.body, m.status, m.created_at, m.sender_id,
	th.sending_number, th.contact_phone, th.owner_id, th.organization_id
	FROM messages m JOIN threads th ON th.id = m.thread_id
	WHERE m.status = 'sending' AND m.status IN ('queued', 'sending')
	AND (m.created_at, m.id) > (?, ?)
	ORDER BY m.created_at, m.id LIMIT ?`

func (t *sqliteTx) OwnSending(ctx context.Context, after SendingCursor, limit int) ([]Outgoing, error) {
	rows, err := t.tx.QueryContext(ctx, ownSendingSQL, TimeText(after.CreatedAt), after.ID, limit)
	if err != nil {
		return nil, fmt.Errorf("this server's texts sending: %w", err)
	}
	return scanOutgoing(rows, "sending")
}

// SameWordsElsewhere: a database has one server, so every text sending is
// this server's, whose own calls the dispatcher tracks in memory.
func (t *sqliteTx) SameWordsElsewhere(ctx context.Context, o Outgoing) (bool, error) {
	return false, nil
}

func scanOutgoing(rows *sql.Rows, status string) ([]Outgoing, error) {
	defer rows.Close()
	var out []Outgoing
	for rows.Next() {
		var o Outgoing
		var created string
		var sender *string
		if err := rows.Scan(&o.ID, &o.ThreadID, &o.Body, &o.Status, &created, &sender, &o.From, &o.To, &o.OwnerID,
			&o.OrganizationID); err != nil {
			return nil, fmt.Errorf("%s messages: %w", status, err)
		}
		if sender != nil {
			o.SenderID = *sender
		}
		o.Direction = "out"
		var err error
		if o.CreatedAt, err = ParseTimeText(created); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (t *sqliteTx) CountPending(ctx context.Context) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE status IN ('queued', 'sending')`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count unsent messages: %w", err)
	}
	return n, nil
}

func (t *sqliteTx) AddMessageMedia(ctx context.Context, messageID string, urls []string) error {
	for i, u := range urls {
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO message_media (message_id, position, url) VALUES (?, ?, ?)`,
			messageID, i, u); err != nil {
			return fmt.Errorf("picture %d of message %s: %w", i, messageID, err)
		}
	}
	return nil
}

func (t *sqliteTx) MessageMedia(ctx context.Context, messageID string) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT url FROM message_media WHERE message_id = ? ORDER BY position`, messageID)
	if err != nil {
		return nil, fmt.Errorf("pictures of message %s: %w", messageID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("pictures of message %s: %w", messageID, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (t *sqliteTx) SendingNumberCampaign(ctx context.Context, phone string) (string, error) {
	var id string
	err := t.tx.QueryRowContext(ctx, `SELECT campaign_id FROM sending_numbers WHERE phone = ?`, phone).Scan(&id)
	if err != nil {
		return "", notFound(err, "sending number "+phone)
	}
	return id, nil
}

func (t *sqliteTx) HandedSince(ctx context.Context, since time.Time, each func(string) bool) error {
	rows, err := t.tx.QueryContext(ctx, HandedSinceSQL, TimeText(since))
	if err != nil {
		return fmt.Errorf("texts handed to a provider since %s: %w", TimeText(since), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("texts handed to a provider since %s: %w", TimeText(since), err)
		}
		if !each(id) {
			return nil
		}
	}
	return rows.Err()
}

func (t *sqliteTx) RecountAnswers(ctx context.Context, messageIDs []string) ([]RecountedThread, error) {
	if len(messageIDs) == 0 {
		return nil, nil
	}
	list, err := idsParam(messageIDs)
	if err != nil {
		return nil, fmt.Errorf("recount the answers of %d texts: %w", len(messageIDs), err)
	}
	rows, err := t.tx.QueryContext(ctx, RecountAnswersSQL+`IN `+inIDs+`) RETURNING id, owner_id`, list)
	if err != nil {
		return nil, fmt.Errorf("recount the answers of %d texts: %w", len(messageIDs), err)
	}
	defer rows.Close()
	var out []RecountedThread
	for rows.Next() {
		var r RecountedThread
		if err := rows.Scan(&r.ThreadID, &r.OwnerID); err != nil {
			return nil, fmt.Errorf("recount the answers of %d texts: %w", len(messageIDs), err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recount the answers of %d texts: %w", len(messageIDs), err)
	}
	return out, nil
}
