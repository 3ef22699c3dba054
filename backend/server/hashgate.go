package server

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// hashGate bounds the password hashes running at once. A bcrypt hash or
// check takes tens of milliseconds of a core, and sign-ups, and sign-ins
// naming emails nobody has, cost one each without any account: a flood of
// them could take every core from sending and syncing. So at most all cores
// but one hash at once (one on a machine of one or two); the rest wait their
// turn, for up to hashWait, then hear that the server is busy.
type hashGate struct {
	slots chan struct{}
	wait  time.Duration
	// waiting counts requests waiting for a turn (tests wait for one to
	// queue before changing what it read).
	waiting atomic.Int32
}

// hashWait is how long a sign-in or sign-up waits for a turn to hash: well
// under the app's 30 s for an answer (and a proxy's usual limits), so that
// the volunteer reads that the server is busy rather than that it did not
// answer. A room of 120 signing in at once, one hash at a time, is through
// in it on a small server.
const hashWait = 15 * time.Second

func newHashGate() *hashGate {
	return &hashGate{slots: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1)), wait: hashWait}
}

// errHashBusy: no turn within the wait. A 503 with Retry-After, in words.
var errHashBusy = &httpError{status: http.StatusServiceUnavailable, body: apiErr(api.CodeServerBusy, "",
	"the campaign server is busy signing many people in; try again in a few seconds")}

// hash runs fn (a bcrypt hash or check) in a turn of the gate; false:
// the request was answered instead (busy, or it ended).
func (s *Server) hash(w http.ResponseWriter, r *http.Request, fn func()) bool {
	err := s.hashes.do(r.Context(), fn)
	switch {
	case err == nil:
		return true
	case errors.Is(err, errHashBusy):
		w.Header().Set("Retry-After", "5")
		s.refusals.Warn().Str("path", r.URL.Path).Str("address", s.clientAddress(r)).Msg("password hashing busy: a request waited its whole turn")
		s.fail(w, r, err)
	default:
		// The client went away while it waited: nobody reads an answer,
		// and it is no failure of the server's.
		s.log.Debug().Str("path", r.URL.Path).Msg("a sign-in or sign-up left while it waited to hash")
	}
	return false
}

// do runs fn (a hash) when a turn is free: errHashBusy after the wait, or
// ctx's error if the request ends first.
func (g *hashGate) do(ctx context.Context, fn func()) error {
	select {
	case g.slots <- struct{}{}:
	default:
		g.waiting.Add(1)
		defer g.waiting.Add(-1)
		t := time.NewTimer(g.wait)
		defer t.Stop()
		select {
		case g.slots <- struct{}{}:
		case <-t.C:
			return errHashBusy
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer func() { <-g.slots }()
	if err := ctx.Err(); err != nil {
		return err // gone while it waited: the turn is the next one's
	}
	fn()
	return nil
}
