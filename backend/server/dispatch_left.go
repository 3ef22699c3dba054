package server

import (
	"context"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// The texts a server finds sending that no worker of its own has: those
// left by its last run (a crash's, a stop's), taken in hand before its
// first claim, and those a server that stopped gave up (on a store several
// servers share). Each is looked up at the provider before it is sent
// again (settle, dispatch_recover.go), but not at once.

// leftPage is how many texts left sending a starting server takes over
// in its first listing (on a store several servers share, the texts
// servers that stopped gave up; adoptOrphans takes any more).
const leftPage = 1000

// takeLeftSending takes in hand, before any new text is claimed, the texts
// left sending when this server starts: those a crash or a stop left, or,
// on a store several servers share, those servers that stopped gave up
// (the listing, a write transaction, takes them over). Claims may begin
// once it returns: every text sending then is in hand.
func (s *Server) takeLeftSending(ctx context.Context) []store.Outgoing {
	// Nothing is taken over while this server's own lease does not hold:
	// it could settle none of it (dispatch_lease.go).
	if !s.leaseHeld(nil) {
		return nil
	}
	var taken []store.Outgoing
	err := s.store.Update(ctx, func(tx store.Tx) error {
		s.own.drop(taken, false) // a run before this one's
		var err error
		taken, err = tx.PendingMessages(ctx, api.StatusSending, leftPage)
		// In hand before the commit that makes them this server's.
		s.own.take(taken)
		return err
	})
	if err != nil {
		s.own.drop(taken, true)
		s.log.Error().Err(err).Msg("dispatcher: list texts left sending")
		return nil
	}
	// One server's store lists every text sending as this server's: more
	// than a page are read page by page (no claim can add to them yet).
	more, err := s.takeOwnNotInHand(ctx)
	taken = append(taken, more...)
	if err != nil {
		s.own.strand() // the claim loop looks again
		s.log.Error().Err(err).Msg("dispatcher: list texts left sending")
	}
	return taken
}

// createsAtOnce is a provider whose log holds a call's text the moment the
// call ends, a crash's cut included (the simulated network).
type createsAtOnce interface{ CreatesAtOnce() bool }

// settleLeftSending looks up and records the texts takeLeftSending took,
// UnsureWait after the start: a call the crash cut may have begun just
// before it, and the provider may finish creating its text after the cut.
// Looked up at once, such a text would show no trace and go out twice;
// the live path waits as long after a call that went unanswered
// (sendOne). The claims go on meanwhile.
func (s *Server) settleLeftSending(stop, ctx context.Context, left []store.Outgoing) {
	if len(left) == 0 {
		return
	}
	s.log.Info().Int("texts", len(left)).Dur("after", s.lookupHold()).Msg("dispatcher: texts left sending at the last stop; looking them up at the provider")
	s.settleAfterHold(stop, ctx, left)
}

// settleGivenUp looks up and records, UnsureWait after they were taken
// over, texts a server that stopped gave up: it may have stopped in the
// wait that follows a call that went unanswered (sendOne), which a lookup
// at once would cut short.
func (s *Server) settleGivenUp(stop, ctx context.Context, givenUp []store.Outgoing) {
	s.log.Info().Int("texts", len(givenUp)).Dur("after", s.lookupHold()).Msg("dispatcher: took over texts a server that stopped left sending; looking them up at the provider")
	s.settleAfterHold(stop, ctx, givenUp)
}

// lookupHold is how long texts taken over wait before they are looked up:
// UnsureWait, or nothing on a provider that creates at once.
func (s *Server) lookupHold() time.Duration {
	if p, ok := s.provider.(createsAtOnce); ok && p.CreatesAtOnce() {
		return 0
	}
	return s.unsureWait
}

// settleAfterHold settles texts in hand after lookupHold, unless stop ends
// first (they stay sending, for the next start or another server).
func (s *Server) settleAfterHold(stop, ctx context.Context, texts []store.Outgoing) {
	select {
	case <-time.After(s.lookupHold()):
	case <-stop.Done():
		s.own.drop(texts, false)
		return
	}
	s.settlePages(stop, ctx, texts)
}
