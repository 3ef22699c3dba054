package server

import (
	"context"
	"time"
)

// Housekeeping the server's background work does (RunBackground) for what
// nobody asks for again: guess counts that aged out.

// sweepLimiters drops the guess limiters' keys whose failures all aged
// out, every every. Here rather than on use (as the push limiter does): a
// guess then costs nothing more, and the memory a flood of guesses took is
// given back when the flood ends, not at the next guess, which may be
// hours away for join codes or sign-ups.
// A sweep holds a limiter's lock for a walk of its keys (at most
// guessMaxKeys) once a minute, as a guess finding the table full already
// did.
func (s *Server) sweepLimiters(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := s.clock()
		for _, l := range s.limiters() {
			l.sweep(now)
		}
	}
}
