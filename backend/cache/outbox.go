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
// as they are; the next pull brings the server's own version of them. A
// settings change, which is laid over the stored settings rather than
// written into them, becomes the stored settings when the server stored it
// past this cache's cursor (its result's Version); at or before the
// cursor, a page already brought the server's settings, which may be a
// newer change from another desktop, and they stay.
func (c *Cache) MarkApplied(ctx context.Context, results []api.MutationResult) error {
	return c.write(ctx, func(tx *sql.Tx) error {
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

// FaultsBeforeDiscard is how many times, over at least FaultSpan, the server
// must have failed a change pushed alone before the volunteer may discard
// it: a fault the server gets over (a restart, a bad deploy rolled back, a
// full disk freed) passes sooner, and a change is never given up on the
// first tries, which a volunteer at work makes within seconds (each send
// asks for a round).
const (
	FaultsBeforeDiscard = 3
	FaultSpan           = 5 * time.Minute
)

// Discardable says whether the volunteer may discard r at now: waiting, and
// failed by the server FaultsBeforeDiscard times over FaultSpan or more.
func Discardable(r OutboxRow, now time.Time) bool {
	return discardable(r.Rejected, r.Faults, r.FirstFaultAt, now)
}

// faultTime reads first_fault_at: 0 is no fault yet, the zero time.
func faultTime(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return fromNanos(n)
}

func discardable(rejected bool, faults int, first, now time.Time) bool {
	return !rejected && faults >= FaultsBeforeDiscard && !first.IsZero() && now.Sub(first) >= FaultSpan
}

// CodeDiscarded is the code a change the volunteer discarded is rolled
// back with (DiscardFailing); the server never gives it.
const CodeDiscarded = "discarded"

// ErrNotFailing: the change named is not one the server keeps failing (it
// is still on its way, or was refused), so it may not be discarded.
var ErrNotFailing = errors.New("not a change the server keeps failing")

// ErrReachedServer: the change named was saved by the server after all
// (its copy came with a pull), so it is settled as applied, not discarded.
var ErrReachedServer = errors.New("the campaign server saved this change after all")

// MarkFault records that the server failed id, pushed alone, with a fault
// of its own while it answered other requests (an outage is no fault of
// the change's): it stays queued. The attempt itself is MarkAttempt's.
// It says whether the change may now be discarded (Discardable).
func (c *Cache) MarkFault(ctx context.Context, id string, now time.Time) (bool, error) {
	may := false
	err := c.write(ctx, func(tx *sql.Tx) error {
		var faults int
		var first int64
		err := tx.QueryRowContext(ctx, `UPDATE outbox SET faults = faults + 1,
				first_fault_at = CASE WHEN first_fault_at = 0 THEN ? ELSE first_fault_at END
			WHERE id = ? AND rejected = 0 RETURNING faults, first_fault_at`, nanos(now), id).Scan(&faults, &first)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("record fault of %s: %w", id, err)
		}
		may = discardable(false, faults, faultTime(first), now)
		return nil
	})
	return may, err
}

// DiscardFailing takes a change the volunteer may discard at now
// (Discardable) out of the outbox, at the volunteer's word, and rolls its
// effect back as a refusal's (MarkRejected) with reason, all in one
// transaction: a reply stays in its thread, failed with reason; a first
// text is taken back and its contact returns to the queue. A change that
// does not exist here (gone to the server meanwhile: ErrNotFound), is
// waiting without such faults or was refused (ErrNotFailing) is left as it
// was. The caller makes sure no push of it is in flight (sync.Engine.Discard).
//
// A server may save a change and still answer 500 (a fault after its
// commit): the round's pull then brings the server's copy of it while it
// stays queued. Rolling back then would write over that copy (a sent reply
// shown as not sent, a sent first text's contact queued again), and no
// later pull brings it again, the cursor being past it. So a change whose
// copy is here (savedTx) is settled as applied instead (MarkApplied) and
// ErrReachedServer says so. One whose copy has not come yet is discarded;
// should the server have saved it, its copy comes with a later pull and
// replaces what the roll-back left (the pull's upsert: a reply shown sent,
// a first text back in its thread, the contact's assignment deleted), as
// for any change made elsewhere. Nothing needs remembering for that: the
// mutation id is gone from the outbox, so it is never sent again.
func (c *Cache) DiscardFailing(ctx context.Context, id, reason string, now time.Time) error {
	saved := false
	err := c.write(ctx, func(tx *sql.Tx) error {
		var rejected, faults int
		var first int64
		err := tx.QueryRowContext(ctx, `SELECT rejected, faults, first_fault_at FROM outbox WHERE id = ?`, id).Scan(&rejected, &faults, &first)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("discard %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("discard %s: %w", id, err)
		}
		if !discardable(rejected == 1, faults, faultTime(first), now) {
			return fmt.Errorf("discard %s (%d faults): %w", id, faults, ErrNotFailing)
		}
		if saved, err = savedTx(ctx, tx, id); err != nil {
			return fmt.Errorf("discard %s: %w", id, err)
		}
		if saved {
			return appliedTx(ctx, tx, api.MutationResult{ID: id, Status: api.ResultApplied})
		}
		if err := rejectTx(ctx, tx, id, CodeDiscarded, reason); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id); err != nil {
			return fmt.Errorf("discard %s: %w", id, err)
		}
		return nil
	})
	if err == nil && saved {
		return fmt.Errorf("discard %s: %w", id, ErrReachedServer)
	}
	return err
}

// savedTx says whether the server's copy of queued change id has come with
// a pull: the server uses the change's own ids, so a first text's or
// reply's message that a pull settled (no longer pending; only the
// server's copy, or MarkApplied, clears it while the change waits), or a
// report the server says who filed (it always does; the app's own copy
// does not). Other kinds leave no copy of their own to tell by. For an
// archive, a read or settings that is no loss: a roll-back shows the
// cache's server state, which holds what the pull brought. A block or
// reassign the server saved is the one gap: its roll-back brings back the
// threads it hid (restoreHidden), though the pull may have taken them away
// for good; they stay until the server next changes them.
func savedTx(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
	var typ, messageID, payload string
	if err := tx.QueryRowContext(ctx, `SELECT type, message_id, payload FROM outbox WHERE id = ?`, id).Scan(&typ, &messageID, &payload); err != nil {
		return false, err
	}
	var n int
	var err error
	switch typ {
	case api.MutSendInitial, api.MutReply:
		err = tx.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE id = ? AND pending = 0`, messageID).Scan(&n)
	case api.MutReport:
		err = tx.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE id = json_extract(?, '$.reportId')
			AND COALESCE(json_extract(data, '$.submittedBy'), '') <> ''`, payload).Scan(&n)
	}
	return n > 0, err
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
		return nil
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
func (c *Cache) DismissRejected(ctx context.Context, id string) error {
	_, err := c.db.ExecContext(ctx, `DELETE FROM outbox WHERE id = ? AND rejected = 1`, id)
	if err != nil {
		return fmt.Errorf("dismiss %s: %w", id, err)
	}
	return nil
}
