package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
)

// Each optimistic operation writes its visible effect and its outbox row in
// one transaction: the volunteer sees it at once, and it is sent later.
// Mutation ids are fresh UUIDs; message ids come from the caller so it can
// show the message it just made.

// SendInitial takes a contact off the action's queue and shows the thread
// with the initial text, pending until the server sends it.
func (c *Cache) SendInitial(ctx context.Context, actionID, contactID, messageID, body string, now time.Time) error {
	if messageID == "" || strings.TrimSpace(body) == "" {
		return errors.New("send initial text: message id and body are required")
	}
	return c.write(ctx, func(tx *sql.Tx) error {
		var assignment string
		err := tx.QueryRowContext(ctx, `SELECT data FROM assignments WHERE contact_id = ? AND action_id = ?`, contactID, actionID).Scan(&assignment)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("send initial text: contact %s is not in your queue for action %s: %w", contactID, actionID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("send initial text: %w", err)
		}
		var a api.Assignment
		if err := json.Unmarshal([]byte(assignment), &a); err != nil {
			return fmt.Errorf("send initial text: decode assignment: %w", err)
		}
		action, err := actionTx(ctx, tx, actionID)
		if err != nil {
			return fmt.Errorf("send initial text: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM assignments WHERE contact_id = ?`, contactID); err != nil {
			return fmt.Errorf("send initial text: %w", err)
		}
		t, exists, err := threadDataTx(ctx, tx, contactID)
		if err != nil {
			return fmt.Errorf("send initial text: %w", err)
		}
		if !exists {
			t = api.Thread{
				ID: contactID, ActionID: actionID, CampaignID: action.CampaignID, ActionType: action.Type,
				ContactName:   strings.TrimSpace(a.FirstName + " " + a.LastName),
				ContactPhone:  a.Phone,
				SendingNumber: action.SendingNumber,
				LastMessageAt: now,
			}
			if err := upsertThread(ctx, tx, t, false); err != nil {
				return fmt.Errorf("send initial text: %w", err)
			}
		}
		if err := insertPendingMessage(ctx, tx, contactID, messageID, body, true, now); err != nil {
			return fmt.Errorf("send initial text: %w", err)
		}
		m := api.Mutation{Type: api.MutSendInitial, CreatedAt: now, ActionID: actionID, ContactID: contactID, MessageID: messageID, Body: body}
		if err := enqueue(ctx, tx, m, contactID, assignment); err != nil {
			return fmt.Errorf("send initial text: %w", err)
		}
		return refreshThread(ctx, tx, contactID)
	})
}

// Reply adds a pending outbound message to a thread.
func (c *Cache) Reply(ctx context.Context, threadID, messageID, body, responseScriptID string, now time.Time) error {
	if messageID == "" || strings.TrimSpace(body) == "" {
		return errors.New("reply: message id and body are required")
	}
	return c.write(ctx, func(tx *sql.Tx) error {
		if err := requireThread(ctx, tx, threadID); err != nil {
			return fmt.Errorf("reply: %w", err)
		}
		if err := insertPendingMessage(ctx, tx, threadID, messageID, body, false, now); err != nil {
			return fmt.Errorf("reply: %w", err)
		}
		m := api.Mutation{Type: api.MutReply, CreatedAt: now, ThreadID: threadID, MessageID: messageID, Body: body, ResponseScriptID: responseScriptID}
		if err := enqueue(ctx, tx, m, threadID, ""); err != nil {
			return fmt.Errorf("reply: %w", err)
		}
		return refreshThread(ctx, tx, threadID)
	})
}

// MarkRead marks a thread read as of now. Opening a thread that has nothing
// unread queues nothing, so browsing the inbox does not fill the outbox.
func (c *Cache) MarkRead(ctx context.Context, threadID string, now time.Time) error {
	return c.write(ctx, func(tx *sql.Tx) error {
		_, err := markReadTx(ctx, tx, threadID, now)
		return err
	})
}

// markReadTx marks a thread read as of now within tx; queued says whether it
// was unread (a read mutation is queued only then).
func markReadTx(ctx context.Context, tx *sql.Tx, threadID string, now time.Time) (queued bool, err error) {
	var unread int
	var lastIn sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT unread, last_inbound_at FROM threads WHERE id = ?`, threadID).Scan(&unread, &lastIn)
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("mark read: thread %s: %w", threadID, ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("mark read: %w", err)
	}
	if unread == 0 {
		return false, nil
	}
	// Read as of the newest reply at least: a desktop clock behind the
	// server's must not leave the reply it just showed unread.
	at := now.UTC()
	if in := fromNull(lastIn); in != nil && in.After(at) {
		at = *in
	}
	m := api.Mutation{Type: api.MutRead, CreatedAt: now, ThreadID: threadID, At: &at}
	if err := enqueue(ctx, tx, m, threadID, ""); err != nil {
		return false, fmt.Errorf("mark read: %w", err)
	}
	return true, refreshThread(ctx, tx, threadID)
}

// Archive archives or unarchives a thread.
func (c *Cache) Archive(ctx context.Context, threadID string, archived bool, now time.Time) error {
	return c.write(ctx, func(tx *sql.Tx) error {
		if err := requireThread(ctx, tx, threadID); err != nil {
			return fmt.Errorf("archive: %w", err)
		}
		m := api.Mutation{Type: api.MutArchive, CreatedAt: now, ThreadID: threadID, Archived: &archived}
		if err := enqueue(ctx, tx, m, threadID, ""); err != nil {
			return fmt.Errorf("archive: %w", err)
		}
		return refreshThread(ctx, tx, threadID)
	})
}

func requireThread(ctx context.Context, tx *sql.Tx, id string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM threads WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("thread %s: %w", id, ErrNotFound)
	}
	return nil
}

func insertPendingMessage(ctx context.Context, tx *sql.Tx, threadID, id, body string, initial bool, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO messages(id, thread_id, direction, body, status, initial, created_at, pending, error)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, '')`, id, threadID, api.DirOutbound, body, api.StatusQueued, boolInt(initial), nanos(now))
	if err != nil {
		return fmt.Errorf("store message %s: %w", id, err)
	}
	return nil
}

func enqueue(ctx context.Context, tx *sql.Tx, m api.Mutation, threadID, undo string) error {
	m.ID = timeOrderedID()
	m.CreatedAt = m.CreatedAt.UTC()
	payload, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode mutation: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox(id, type, payload, thread_id, message_id, undo, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.Type, string(payload), threadID, m.MessageID, undo, nanos(m.CreatedAt))
	if err != nil {
		return fmt.Errorf("queue %s mutation: %w", m.Type, err)
	}
	return nil
}

func actionTx(ctx context.Context, tx *sql.Tx, id string) (api.Action, error) {
	var data string
	err := tx.QueryRowContext(ctx, `SELECT data FROM actions WHERE id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return api.Action{}, fmt.Errorf("action %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return api.Action{}, err
	}
	var a api.Action
	if err := json.Unmarshal([]byte(data), &a); err != nil {
		return api.Action{}, fmt.Errorf("decode action %s: %w", id, err)
	}
	return a, nil
}

func threadDataTx(ctx context.Context, tx *sql.Tx, id string) (api.Thread, bool, error) {
	var data string
	err := tx.QueryRowContext(ctx, `SELECT data FROM threads WHERE id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return api.Thread{}, false, nil
	}
	if err != nil {
		return api.Thread{}, false, err
	}
	var t api.Thread
	if err := json.Unmarshal([]byte(data), &t); err != nil {
		return api.Thread{}, false, fmt.Errorf("decode thread %s: %w", id, err)
	}
	return t, true, nil
}

// Report files a report on a thread: it is stored at once (the thread shows
// it and leaves the "no report" half of Needs Attention) and, with Automatic
// Archive on, the thread archives, as the server will do.
func (c *Cache) Report(ctx context.Context, threadID, reportID string, values map[string]string, now time.Time) error {
	if reportID == "" {
		return errors.New("report: report id is required")
	}
	if values == nil {
		values = map[string]string{}
	}
	return c.write(ctx, func(tx *sql.Tx) error {
		if err := requireThread(ctx, tx, threadID); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		r := api.Report{ID: reportID, ThreadID: threadID, Values: values, SubmittedAt: now.UTC()}
		data, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("report: encode: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reports(id, thread_id, submitted_at, data) VALUES (?, ?, ?, ?)`,
			reportID, threadID, nanos(r.SubmittedAt), string(data)); err != nil {
			return fmt.Errorf("report: store %s: %w", reportID, err)
		}
		m := api.Mutation{Type: api.MutReport, CreatedAt: now, ThreadID: threadID, ReportID: reportID, Values: values}
		if err := enqueue(ctx, tx, m, threadID, ""); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		return refreshThread(ctx, tx, threadID)
	})
}

// LocalSettings are the volunteer's settings as the app should show them:
// the server's, with settings changes still in the outbox laid over them.
func (c *Cache) LocalSettings(ctx context.Context) (api.Settings, error) {
	tx, err := c.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return api.Settings{}, fmt.Errorf("read settings: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	return settingsTx(ctx, tx)
}

// SetAutoArchive queues a settings change turning Automatic Archive on or
// off. Threads with a report still waiting in the outbox follow at once.
func (c *Cache) SetAutoArchive(ctx context.Context, on bool, now time.Time) error {
	return c.write(ctx, func(tx *sql.Tx) error {
		s, err := settingsTx(ctx, tx)
		if err != nil {
			return err
		}
		s.AutoArchive = on
		m := api.Mutation{Type: api.MutSettings, CreatedAt: now, Settings: &s}
		if err := enqueue(ctx, tx, m, "", ""); err != nil {
			return fmt.Errorf("settings: %w", err)
		}
		return refreshThreadsWithPending(ctx, tx, api.MutReport)
	})
}

type txQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func settingsTx(ctx context.Context, tx txQuerier) (api.Settings, error) {
	var s api.Settings
	var data string
	err := tx.QueryRowContext(ctx, `SELECT data FROM settings WHERE id = 1`).Scan(&data)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("read settings: %w", err)
	}
	if err == nil {
		if err := json.Unmarshal([]byte(data), &s); err != nil {
			return s, fmt.Errorf("decode settings: %w", err)
		}
	}
	err = tx.QueryRowContext(ctx, `SELECT payload FROM outbox WHERE type = ? AND rejected = 0 ORDER BY seq DESC LIMIT 1`, api.MutSettings).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("read pending settings: %w", err)
	}
	var m api.Mutation
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		return s, fmt.Errorf("decode pending settings: %w", err)
	}
	if m.Settings != nil {
		s = *m.Settings
	}
	return s, nil
}

// refreshThreadsWithPending re-derives the threads that have a pending
// mutation of type typ (their effect may depend on what just changed).
func refreshThreadsWithPending(ctx context.Context, tx *sql.Tx, typ string) error {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT thread_id FROM outbox WHERE type = ? AND rejected = 0 AND thread_id != ''`, typ)
	if err != nil {
		return fmt.Errorf("threads with pending %s: %w", typ, err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if err := refreshThread(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// archiveState is the thread's archive state as the server sent it, in the
// inbox's words ("manual" on the wire is "Archived by you").
func archiveState(t api.Thread) inbox.ArchiveState {
	if !t.Archived {
		return inbox.ArchiveState{}
	}
	switch inbox.Reason(t.ArchivedReason) {
	case inbox.AfterReport:
		return inbox.ArchiveState{Archived: true, Reason: inbox.AfterReport}
	case inbox.Inactive:
		return inbox.ArchiveState{Archived: true, Reason: inbox.Inactive}
	}
	return inbox.ArchiveState{Archived: true, Reason: inbox.ByUser}
}

// applyPending lays the effects of t's mutations still in the outbox over
// it, in the order they were made, with the same archive rules the server
// applies when they reach it. t's inbound time must already include local
// messages. autoArchive is the volunteer's Automatic Archive Setting.
func applyPending(t *api.Thread, pending []api.Mutation, autoArchive bool) {
	arch := archiveState(*t)
	for _, m := range pending {
		switch m.Type {
		case api.MutRead:
			t.LastReadAt = later(t.LastReadAt, m.At)
		case api.MutArchive:
			if m.Archived == nil {
				continue
			}
			if !*m.Archived {
				arch = inbox.ArchiveOn(arch, inbox.UserUnarchive, false)
			} else if inbox.ArchiveHolds(m.CreatedAt, t.LastInboundAt) {
				arch = inbox.ArchiveOn(arch, inbox.UserArchive, false)
			}
		case api.MutReport:
			if inbox.ArchiveHolds(m.CreatedAt, t.LastInboundAt) {
				arch = inbox.ArchiveOn(arch, inbox.Reported, autoArchive)
			}
		}
	}
	t.Archived, t.ArchivedReason = arch.Archived, string(arch.Reason)
}

// ArchivedReasons says why each of the given threads is archived, in the
// inbox's words ("" for one that is not, or is not in the cache).
func (c *Cache) ArchivedReasons(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := c.db.QueryContext(ctx, `SELECT id, archived_reason FROM threads WHERE archived = 1 AND id IN (`+
		strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("read archive reasons: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, reason string
		if err := rows.Scan(&id, &reason); err != nil {
			return nil, fmt.Errorf("read archive reasons: %w", err)
		}
		out[id] = reason
	}
	return out, rows.Err()
}

// timeOrderedID is a UUIDv7: the server keeps every mutation id, and ids
// that grow with time append to its primary key instead of writing a
// random page of it per mutation.
func timeOrderedID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return id.String()
}
