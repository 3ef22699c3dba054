package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// A change the campaign server fails every time (500 internal) would hold
// back every change queued after it for good: the server's faults of each
// change are counted here, and once it may be discarded (Discardable) the
// volunteer may give it up (DiscardFailing).

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
// does not), or a block or reassign all of whose threads a pull deleted
// (they sync as deletes: hidePending keeps the threads a pull deleted out
// of the undo, so a roll-back never brings those back). Other kinds leave
// no copy of their own to tell by. For an archive, a read or settings that
// is no loss: a roll-back shows the cache's server state, which holds what
// the pull brought.
func savedTx(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
	var typ, messageID, payload, undo string
	if err := tx.QueryRowContext(ctx, `SELECT type, message_id, payload, undo FROM outbox WHERE id = ?`, id).Scan(&typ, &messageID, &payload, &undo); err != nil {
		return false, err
	}
	var n int
	var err error
	switch typ {
	case api.MutBlock, api.MutReassign:
		var u hidden
		if err := json.Unmarshal([]byte(undo), &u); err != nil {
			return false, fmt.Errorf("decode hidden threads: %w", err)
		}
		return u.Gone && len(u.Threads) == 0, nil
	case api.MutSendInitial, api.MutReply:
		err = tx.QueryRowContext(ctx, `SELECT count(*) FROM messages WHERE id = ? AND pending = 0`, messageID).Scan(&n)
	case api.MutReport:
		err = tx.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE id = json_extract(?, '$.reportId')
			AND COALESCE(json_extract(data, '$.submittedBy'), '') <> ''`, payload).Scan(&n)
	}
	return n > 0, err
}
