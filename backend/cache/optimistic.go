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
		exists, err := threadExistsTx(ctx, tx, contactID)
		if err != nil {
			return fmt.Errorf("send initial text: %w", err)
		}
		if !exists {
			t := api.Thread{
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
		// An answer comes after what it answers, whatever this clock says.
		now, seen, err := madeAfterReplies(ctx, tx, threadID, now)
		if err != nil {
			return fmt.Errorf("reply: %w", err)
		}
		if err := insertPendingMessage(ctx, tx, threadID, messageID, body, false, now); err != nil {
			return fmt.Errorf("reply: %w", err)
		}
		// At: the replies the tags a response script files decide, as a
		// report's.
		m := api.Mutation{Type: api.MutReply, CreatedAt: now, ThreadID: threadID, MessageID: messageID, Body: body,
			ResponseScriptID: responseScriptID, At: &seen}
		if err := enqueue(ctx, tx, m, threadID, ""); err != nil {
			return fmt.Errorf("reply: %w", err)
		}
		if responseScriptID != "" {
			if err := recordScriptTags(ctx, tx, threadID, messageID, responseScriptID); err != nil {
				return fmt.Errorf("reply: %w", err)
			}
		}
		return refreshThread(ctx, tx, threadID)
	})
}

// MarkRead marks a thread read, as far as its newest reply here. Opening
// a thread that has nothing unread queues nothing, so browsing the inbox does not fill the outbox.
func (c *Cache) MarkRead(ctx context.Context, threadID string, now time.Time) error {
	return c.write(ctx, func(tx *sql.Tx) error {
		_, err := markReadTx(ctx, tx, threadID, now)
		return err
	})
}

// markReadTx marks a thread read within tx (MarkRead); queued says whether it
// was unread (a read mutation is queued only then).
func markReadTx(ctx context.Context, tx *sql.Tx, threadID string, now time.Time) (queued bool, err error) {
	// Read as far as the newest reply this app holds, by that reply's own
	// time (the server's, as every reply's time the unread rules compare):
	// a reply that reached the server and not yet this app stays unread
	// there, for the inbox and for a hand-over, which tells the new owner
	// of replies no one who held the thread read (server reassign). Not
	// the thread's last_inbound_at: a sync page may bring the thread with
	// a reply's time and the next page the reply. Now, by the desktop's
	// clock, would read it too: and a clock behind the server's would
	// leave the reply just shown unread.
	var unread int
	var read, held sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT unread, last_read_at, `+newestReplySQL+`
		FROM threads WHERE id = ?`, api.DirInbound, threadID).Scan(&unread, &read, &held)
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("mark read: thread %s: %w", threadID, ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("mark read: %w", err)
	}
	// Nothing shown that is not read yet: no reply here, or none past the
	// read already made (a reply on its way keeps the thread unread).
	if unread == 0 || !held.Valid || (read.Valid && held.Int64 <= read.Int64) {
		return false, nil
	}
	at := fromNanos(held.Int64)
	m := api.Mutation{Type: api.MutRead, CreatedAt: now, ThreadID: threadID, At: &at}
	if err := enqueue(ctx, tx, m, threadID, ""); err != nil {
		return false, fmt.Errorf("mark read: %w", err)
	}
	return true, refreshThread(ctx, tx, threadID)
}

// newestReplySQL, a column of a query on threads (its parameter the
// inbound direction), is the time of the newest reply this app holds in
// the thread: the server's time, so how far a read or an archive reaches.
const newestReplySQL = `(SELECT MAX(created_at) FROM messages WHERE thread_id = threads.id AND direction = ?)`

// Archive archives or unarchives a thread. An archive says how far into
// the contact's replies it reaches (at: the newest one held here), so
// that it holds over the reply the volunteer read before pressing it and
// not over one they never saw, whatever this desktop's clock says
// (inbox.ArchiveHolds; the server does the same). Its createdAt is dated
// after that reply as well, for a server that reads only createdAt.
func (c *Cache) Archive(ctx context.Context, threadID string, archived bool, now time.Time) error {
	return c.write(ctx, func(tx *sql.Tx) error {
		at, seen, err := madeAfterReplies(ctx, tx, threadID, now)
		if err != nil {
			return fmt.Errorf("archive: %w", err)
		}
		m := api.Mutation{Type: api.MutArchive, CreatedAt: at, ThreadID: threadID, Archived: &archived}
		if archived {
			m.At = &seen
		}
		if err := enqueue(ctx, tx, m, threadID, ""); err != nil {
			return fmt.Errorf("archive: %w", err)
		}
		return refreshThread(ctx, tx, threadID)
	})
}

// madeAfterReplies dates a change to thread id made now, but after its
// newest reply: an answer answers only what came before it, and a desktop
// clock behind the server's must not leave the reply the volunteer just
// read "newer" than their answer (or, for a server that reads only
// createdAt, their Archive or report). seen is how far into the contact's
// replies the change reaches, what an archive holds over and a report
// decides (a mutation's at): newestReplySQL, the zero time if the thread
// holds no reply (it then covers none, whatever comes).
func madeAfterReplies(ctx context.Context, tx *sql.Tx, id string, now time.Time) (made, seen time.Time, err error) {
	var lastIn, held sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT last_inbound_at, `+newestReplySQL+` FROM threads WHERE id = ?`,
		api.DirInbound, id).Scan(&lastIn, &held)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, time.Time{}, fmt.Errorf("thread %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	made = now.UTC()
	if in := fromNull(lastIn); in != nil && !made.After(*in) {
		made = in.Add(time.Microsecond) // the server's resolution
	}
	if held.Valid {
		seen = fromNanos(held.Int64)
	}
	return made, seen, nil
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
	// Whom it is for, kept with it: a refusal may outlive the thread (one
	// reassigned or blocked from another desktop meanwhile is deleted by
	// the next sync), and the Outbox still names the contact.
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox(id, type, payload, thread_id, message_id, undo, created_at, contact_name, contact_phone)
		SELECT ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT contact_name FROM threads WHERE id = ?), ''), COALESCE((SELECT contact_phone FROM threads WHERE id = ?), '')`,
		m.ID, m.Type, string(payload), threadID, m.MessageID, undo, nanos(m.CreatedAt), threadID, threadID)
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

// threadExistsTx reports whether the cache holds thread id (its data is
// not decoded: both callers only ask whether it is there).
func threadExistsTx(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM threads WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
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
		// It decides the replies seen (a likely opt-out among them) and,
		// with Automatic Archive on, archives over them as an Archive does.
		now, seen, err := madeAfterReplies(ctx, tx, threadID, now)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		r := api.Report{ID: reportID, ThreadID: threadID, Values: values, SubmittedAt: now}
		data, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("report: encode: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reports(id, thread_id, submitted_at, data) VALUES (?, ?, ?, ?)`,
			reportID, threadID, nanos(r.SubmittedAt), string(data)); err != nil {
			return fmt.Errorf("report: store %s: %w", reportID, err)
		}
		m := api.Mutation{Type: api.MutReport, CreatedAt: now, ThreadID: threadID, ReportID: reportID, Values: values, At: &seen}
		if err := enqueue(ctx, tx, m, threadID, ""); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		// Opt Out shows on every thread of the number (numberoptout.go).
		return refreshNumberThreads(ctx, tx, threadID)
	})
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
