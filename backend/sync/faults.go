package sync

import (
	"context"
	"errors"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// A change the campaign server fails every time (500 internal) holds back
// every change after it, since they go in order: push finds which one
// (changeFault), the round counts its faults while the server answers the
// pull (countFault), and the volunteer may then discard it (Discard).

// changeFault is a push of one change alone that the server failed with a
// fault of its own.
type changeFault struct {
	id, typ string
	err     error
}

func (f *changeFault) Error() string { return f.err.Error() }
func (f *changeFault) Unwrap() error { return f.err }

// countFault counts a change's fault. A read (a conversation opened) is
// housekeeping the Outbox does not list, so the volunteer could never
// discard it: once it may be discarded, it is, here, as a refused read is
// forgotten, and the changes after it go.
//
// It says whether the change is now one the volunteer may discard.
func (e *Engine) countFault(ctx context.Context, f *changeFault) (discardable bool) {
	may, err := e.cfg.Cache.MarkFault(ctx, f.id, e.cfg.Now())
	if err != nil {
		e.log.Error().Err(err).Msg("record a change's fault")
		return false
	}
	if !may {
		return false
	}
	if f.typ != api.MutRead {
		return true
	}
	_, threads, err := e.Discard(ctx, f.id, "the campaign server failed to save it")
	if err != nil {
		e.log.Error().Err(err).Str("mutation", f.id).Msg("forget a read the server keeps failing")
		return
	}
	e.log.Warn().Str("mutation", f.id).Msg("forgot a read the server keeps failing")
	e.cfg.OnChange(ChangeSummary{Threads: threads}) // unread again
	signal(e.kick)
	return false
}

// stuckError marks a round whose push the server failed on a change the
// volunteer may now discard (Status.Stuck).
type stuckError struct{ err error }

func (e *stuckError) Error() string { return e.err.Error() }
func (e *stuckError) Unwrap() error { return e.err }

// Discard takes a change the server keeps failing out of the outbox at the
// volunteer's word (cache.DiscardFailing), rolled back with reason, and
// says what it concerned (its type and the threads to show again).
//
// It holds the push lock, so no push is in flight meanwhile: one that was
// has had its answer recorded, and the change, once gone from the outbox,
// is never sent again, so nothing is lost or sent twice. A push of it may
// have reached the server all the same (a 500 answered after the server
// saved it): the server's record wins. If a pull has brought the server's
// copy already, the change is settled as applied, not rolled back, and
// the error is cache.ErrReachedServer, with the change and its threads
// described as for a discard (they changed: it left the outbox); if not,
// the copy comes with a later pull and replaces the roll-back, as for any
// change made elsewhere.
func (e *Engine) Discard(ctx context.Context, id, reason string) (Rejection, []string, error) {
	e.pushMu.Lock()
	defer e.pushMu.Unlock()
	rs := []Rejection{{ID: id, Code: cache.CodeDiscarded, Reason: reason}}
	e.describe(ctx, rs)
	err := e.cfg.Cache.DiscardFailing(ctx, id, reason, e.cfg.Now())
	if err != nil && !errors.Is(err, cache.ErrReachedServer) {
		return Rejection{}, nil, err
	}
	e.RefreshPending()
	return rs[0], e.refusedThreads(ctx, rs[0]), err
}
