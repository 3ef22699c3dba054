package server

import (
	"context"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// Housekeeping the server's background work does (RunBackground) for what
// nobody asks for again: guess counts that aged out, and sign-ins that
// ended and were never presented again.
const (
	// tokenPurgeEvery is how often ended tokens are deleted: a token ends
	// after days, so an hour late costs nothing.
	tokenPurgeEvery = time.Hour
	// tokenPurgeBatch bounds the tokens one transaction deletes, so that a
	// purge (the first after an upgrade may find many) holds the write
	// lock for a moment at a time, not for the whole table.
	tokenPurgeBatch = 500
)

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

// purgeEndedTokens deletes the ended tokens at its start and every every
// after. A token was deleted only when presented after it ended, so one
// nobody presented again (a laptop put away, an app reinstalled) stayed
// for good.
func (s *Server) purgeEndedTokens(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := alone(ctx, s.store, "purge-ended-tokens", s.deleteEndedTokens)
		if err != nil && ctx.Err() == nil {
			s.log.Error().Err(err).Int("purged", n).Msg("purge ended sign-ins")
		} else if n > 0 {
			s.log.Info().Int("tokens", n).Msg("purged ended sign-ins")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// deleteEndedTokens deletes every ended token, by batches (on a shared
// store alone among the servers, and were two at it, a token deleted by
// one is not named by the other: DeleteEndedTokens). Each token deleted is
// forgotten by the token cache and its event streams end (tokenChanged),
// as at a sign-out; other servers hear of each from the database (the
// tokens trigger).
func (s *Server) deleteEndedTokens(ctx context.Context) (int, error) {
	n := 0
	for {
		// The rules of tokenEnd: ended once now is past the last use plus
		// the idle limit, or past the sign-in plus the lifetime.
		now := s.clock()
		var gone []string
		err := s.store.Update(ctx, func(tx store.Tx) error {
			var err error
			gone, err = tx.DeleteEndedTokens(ctx, now.Add(-s.tokenIdle), now.Add(-s.tokenLifetime), tokenPurgeBatch)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("delete ended tokens: %w", err)
		}
		for _, h := range gone {
			s.tokenChanged(h)
		}
		n += len(gone)
		if len(gone) < tokenPurgeBatch {
			return n, nil
		}
	}
}
