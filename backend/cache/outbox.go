package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// OutboxRow is one mutation the server has not accepted: waiting, or refused
// (Rejected, with the server's Code and Reason). The client turns it into
// what the volunteer reads.
type OutboxRow struct {
	Mutation    api.Mutation
	ContactName string // of the thread or contact it concerns, "" if unknown
	// ContactPhone names the contact when they have no name.
	ContactPhone string
	CreatedAt    time.Time
	Attempts     int
	LastError    string // last failure to deliver it (network), "" if none
	// Faults counts the pushes of it alone the server failed with a fault
	// of its own, the first at FirstFaultAt (zero before any); Discardable
	// says when the volunteer may discard it.
	Faults       int
	FirstFaultAt time.Time
	Rejected     bool
	Code         string
	Reason       string
	// ThreadID and CampaignID name the thread it concerns while the cache
	// holds it, "" otherwise (gone meanwhile, or a first text's contact).
	ThreadID   string
	CampaignID string
}

// PendingMutations returns up to limit mutations waiting to be sent, oldest
// first: the server must see them in the order the volunteer made them.
func (c *Cache) PendingMutations(ctx context.Context, limit int) ([]api.Mutation, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := c.db.QueryContext(ctx, `SELECT payload FROM outbox WHERE rejected = 0 ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []api.Mutation
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		var m api.Mutation
		if err := json.Unmarshal([]byte(p), &m); err != nil {
			return nil, fmt.Errorf("decode outbox mutation: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// PendingCount is how many mutations still wait for the server.
func (c *Cache) PendingCount(ctx context.Context) (int, error) {
	var n int
	if err := c.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE rejected = 0`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

// WaitingCount is how many of the volunteer's own changes still wait for
// the server: what the status bar counts, the Outbox lists and signing out
// warns of. A thread marked read is left out: opening a conversation is
// not a change the volunteer made, and losing it at sign-out loses nothing
// they would miss.
func (c *Cache) WaitingCount(ctx context.Context) (int, error) {
	var n int
	if err := c.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE rejected = 0 AND type <> ?`, api.MutRead).Scan(&n); err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

// MarkAttempt records a failed delivery of ids (the network, not the server
// refusing): they stay queued.
func (c *Cache) MarkAttempt(ctx context.Context, ids []string, errText string) error {
	return c.write(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?`, errText, id); err != nil {
				return fmt.Errorf("record attempt of %s: %w", id, err)
			}
		}
		return nil
	})
}

// MarkApplied removes accepted mutations from the outbox. Their effects stay
// as they are, held on their thread until the next pull brings the
// server's own version of them (holds.go). A
// settings change, which is laid over the stored settings rather than
// written into them, becomes the stored settings when the server stored it
// past this cache's cursor (its result's Version); at or before the
// cursor, a page already brought the server's settings, which may be a
// newer change from another desktop, and they stay.
func (c *Cache) MarkApplied(ctx context.Context, results []api.MutationResult) error {
	return c.write(ctx, func(tx *sql.Tx) error {
		c.noHolds.Store(false) // the next page looks (releaseHolds)
		for _, r := range results {
			if err := appliedTx(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// appliedTx is MarkApplied of one result in tx; a mutation no longer in the
// outbox is left alone.
func appliedTx(ctx context.Context, tx *sql.Tx, r api.MutationResult) error {
	id := r.ID
	var typ, messageID, payload string
	err := tx.QueryRowContext(ctx, `SELECT type, message_id, payload FROM outbox WHERE id = ?`, id).Scan(&typ, &messageID, &payload)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mark %s applied: %w", id, err)
	}
	if typ == api.MutSettings && r.Version > 0 {
		cursor, err := cursorTx(ctx, tx)
		if err != nil {
			return fmt.Errorf("mark %s applied: %w", id, err)
		}
		if r.Version > cursor {
			if err := storeAppliedSettings(ctx, tx, payload); err != nil {
				return fmt.Errorf("mark %s applied: %w", id, err)
			}
		}
	}
	if messageID != "" {
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET pending = 0 WHERE id = ?`, messageID); err != nil {
			return fmt.Errorf("mark %s applied: %w", id, err)
		}
	}
	if holdsEffect(typ) {
		if err := holdApplied(ctx, tx, id); err != nil {
			return fmt.Errorf("mark %s applied: %w", id, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id); err != nil {
		return fmt.Errorf("mark %s applied: %w", id, err)
	}
	return nil
}

func storeAppliedSettings(ctx context.Context, tx *sql.Tx, payload string) error {
	var m api.Mutation
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		return fmt.Errorf("decode settings change: %w", err)
	}
	if m.Settings == nil {
		return nil
	}
	data, err := json.Marshal(m.Settings)
	if err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO settings(id, data) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data`, string(data))
	return err
}

// retryableInitial are rejection codes after which the contact may be texted
// later by this volunteer, so a refused first text puts them back in the
// queue. For the others (opted out, blocked, recently texted, not assigned)
// the contact is gone from this volunteer's queue for good.
var retryableInitial = map[string]bool{
	api.RejectQuietHours: true,
	api.RejectNoNumber:   true,
	api.RejectProvider:   true,
	// The server sent the new text with the refusal; the app shows it and
	// the volunteer may send that (client.SendNewText).
	api.RejectScriptChanged: true,
	// Never sent: the server failed it until the volunteer gave up on it.
	CodeDiscarded: true,
}

// MarkRejected keeps a refused mutation in the outbox with the server's code
// and reason, and rolls its optimistic effect back:
//   - send_initial: the pending first text is removed (and the thread too if
//     the server never knew it); the contact returns to the queue when the
//     reason is temporary (quiet hours, no sending number, provider error);
//   - reply: the message stays in the thread, marked failed with the reason;
//   - report: the locally stored report is removed, and an Opt Out it
//     showed on its number's other threads with it;
//   - read, archive, settings: the server's state shows again;
//   - block, reassign: the threads they hid come back as they were.
func (c *Cache) MarkRejected(ctx context.Context, id, code, reason string) error {
	return c.write(ctx, func(tx *sql.Tx) error { return rejectTx(ctx, tx, id, code, reason) })
}

// rejectTx is MarkRejected in tx; a mutation no longer in the outbox is
// left alone.
func rejectTx(ctx context.Context, tx *sql.Tx, id, code, reason string) error {
	var typ, threadID, messageID, undo string
	err := tx.QueryRowContext(ctx, `SELECT type, thread_id, message_id, undo FROM outbox WHERE id = ?`, id).Scan(&typ, &threadID, &messageID, &undo)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mark %s rejected: %w", id, err)
	}
	if reason == "" {
		reason = "The campaign server refused this (" + code + ")"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET rejected = 1, code = ?, reason = ? WHERE id = ?`, code, reason, id); err != nil {
		return fmt.Errorf("mark %s rejected: %w", id, err)
	}
	switch typ {
	case api.MutSendInitial:
		if err := undoSendInitial(ctx, tx, threadID, messageID, undo, retryableInitial[code]); err != nil {
			return fmt.Errorf("roll back rejected send %s: %w", id, err)
		}
	case api.MutReply:
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET pending = 0, status = ?, error = ? WHERE id = ?`, api.StatusFailed, reason, messageID); err != nil {
			return fmt.Errorf("mark reply %s failed: %w", messageID, err)
		}
	case api.MutReport:
		// The report the server refused was never filed: it leaves the
		// thread (and with it any archive it caused).
		if _, err := tx.ExecContext(ctx, `DELETE FROM reports WHERE id = (SELECT json_extract(payload, '$.reportId') FROM outbox WHERE id = ?)`, id); err != nil {
			return fmt.Errorf("remove refused report of %s: %w", id, err)
		}
		// An Opt Out it showed on the number's other threads goes too.
		return refreshNumberThreads(ctx, tx, threadID)
	case api.MutSettings:
		return refreshThreadsWithPending(ctx, tx, api.MutReport)
	case api.MutBlock, api.MutReassign:
		// The threads come back into the inbox as they were.
		return restoreHidden(ctx, tx, undo)
	}
	return refreshThread(ctx, tx, threadID)
}

func undoSendInitial(ctx context.Context, tx *sql.Tx, threadID, messageID, assignment string, requeue bool) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE id = ?`, messageID); err != nil {
		return err
	}
	var fromServer, left int
	err := tx.QueryRowContext(ctx, `SELECT from_server, (SELECT count(*) FROM messages WHERE thread_id = threads.id) FROM threads WHERE id = ?`, threadID).Scan(&fromServer, &left)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err == nil && fromServer == 0 && left == 0 {
		if err := deleteThread(ctx, tx, threadID); err != nil {
			return err
		}
	}
	if !requeue || assignment == "" {
		// Not back in the queue and no conversation: the contact goes too
		// (the outbox row keeps the name it shows).
		return forgetContact(ctx, tx, threadID)
	}
	var a api.Assignment
	if err := json.Unmarshal([]byte(assignment), &a); err != nil {
		return fmt.Errorf("decode saved assignment: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO assignments(contact_id, action_id, assigned_at, data) VALUES (?, ?, ?, ?)`,
		a.ContactID, a.ActionID, nanos(a.AssignedAt), assignment)
	return err
}

// Outbox lists every mutation not yet accepted, oldest first, with the name
// of the contact each concerns: the thread's as it is now, or, for a thread
// gone meanwhile (reassigned or blocked elsewhere), as it was when queued.
func (c *Cache) Outbox(ctx context.Context) ([]OutboxRow, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT o.payload, o.created_at, o.attempts, o.faults, o.first_fault_at, o.last_error, o.rejected, o.code, o.reason,
			CASE WHEN t.id IS NULL THEN o.contact_name ELSE t.contact_name END,
			CASE WHEN t.id IS NULL THEN o.contact_phone ELSE t.contact_phone END, o.undo,
			COALESCE(t.id, ''), COALESCE(t.campaign_id, '')
		FROM outbox o LEFT JOIN threads t ON t.id = o.thread_id ORDER BY o.seq`)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxRow
	for rows.Next() {
		var r OutboxRow
		var payload, undo string
		var created, firstFault int64
		var rejected int
		if err := rows.Scan(&payload, &created, &r.Attempts, &r.Faults, &firstFault, &r.LastError, &rejected, &r.Code, &r.Reason, &r.ContactName, &r.ContactPhone, &undo,
			&r.ThreadID, &r.CampaignID); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		if err := json.Unmarshal([]byte(payload), &r.Mutation); err != nil {
			return nil, fmt.Errorf("decode outbox mutation: %w", err)
		}
		if r.ContactName == "" && undo != "" {
			// A refused first text whose thread is gone: name the contact
			// from the assignment it was made for.
			var a api.Assignment
			if json.Unmarshal([]byte(undo), &a) == nil {
				r.ContactName = strings.TrimSpace(a.FirstName + " " + a.LastName)
				r.ContactPhone = a.Phone
			}
		}
		r.CreatedAt = fromNanos(created)
		r.FirstFaultAt = faultTime(firstFault)
		r.Rejected = rejected == 1
		out = append(out, r)
	}
	return out, rows.Err()
}

// DismissRejected forgets a refused mutation once the volunteer has seen it.
// A refused reply stays in its thread, marked failed with the server's
// reason; words, when given, replace that reason: the refusal's code goes
// with the outbox row, and with it the volunteer's words for it, which the
// thread showed until now.
func (c *Cache) DismissRejected(ctx context.Context, id, words string) error {
	return c.write(ctx, func(tx *sql.Tx) error {
		if words != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET error = ? WHERE error <> '' AND id =
				(SELECT message_id FROM outbox WHERE id = ? AND rejected = 1 AND message_id <> '')`, words, id); err != nil {
				return fmt.Errorf("dismiss %s: %w", id, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ? AND rejected = 1`, id); err != nil {
			return fmt.Errorf("dismiss %s: %w", id, err)
		}
		return nil
	})
}
