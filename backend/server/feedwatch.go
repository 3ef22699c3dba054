package server

import (
	"context"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// feedListener is a store that announces whose feed grew, and which
// tokens changed, whichever process or server committed it (PostgreSQL's
// LISTEN/NOTIFY): several servers share one database and each holds some
// volunteers' streams and a cache of who their tokens are.
type feedListener interface {
	// ListenFeed tells l of every change announced until ctx ends or the
	// connection fails.
	ListenFeed(ctx context.Context, l store.Listeners) error
}

// WatchFeed pokes the live-event streams of users whose feed grew through
// another process writing the same database (textbankd's organizer
// commands, other servers), until ctx ends: on a store that announces
// changes (feedListener) as they commit, otherwise by checking the feed's
// newest version every interval. Writes by this server poke at once
// anyway; a repeated poke is harmless because a stream only sends a
// version it has not sent. On a store several servers share, it also
// announces the pushes made here to the others (pushshare.go).
func (s *Server) WatchFeed(ctx context.Context, interval time.Duration) {
	if l, ok := s.store.(feedListener); ok {
		var announcing sync.WaitGroup
		announcing.Go(func() { s.announcePushes(ctx) })
		s.listenFeed(ctx, l, interval)
		announcing.Wait()
		return
	}
	seen, err := s.maxFeedSeq(ctx)
	if err != nil {
		s.log.Error().Err(err).Msg("feed watcher: cannot read the feed; changes by other processes reach apps on their next sync")
	}
	s.changedElsewhere(ctx)
	s.watching.Store(true)
	s.every(ctx, interval, func() {
		seen = s.pokeAfter(ctx, seen)
		s.changedElsewhere(ctx)
	})
}

// every runs fn every interval until ctx ends or the server is closed; a
// run that takes longer drops the ticks it missed.
func (s *Server) every(ctx context.Context, interval time.Duration, fn func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case <-t.C:
		}
		fn()
	}
}

// writesElsewhere is a store that can tell whether another process
// committed to it since it was last asked (SQLite, which announces
// nothing).
type writesElsewhere interface {
	WrittenElsewhere(ctx context.Context) (bool, error)
}

// changedElsewhere forgets every cached token, has every open event
// stream read its token again, and tells every admin's stream that their
// campaigns' Admin sections changed, when another process wrote the
// database: perhaps `textbankd users sign-out` or `users password`,
// whose ended sign-ins must end here within a look or two, not when the
// cache would let them lapse, or `unroutable handle`, which an open Admin
// screen shows then, not at its half-minute refresh, or `admin add`, whose
// new admin's stream hears of the Admin section from then. SQLite says only
// that someone wrote, not what: other writes cost each volunteer one
// token read on their next request and each open Admin screen one read.
func (s *Server) changedElsewhere(ctx context.Context) {
	we, ok := s.store.(writesElsewhere)
	if !ok {
		return
	}
	changed, err := we.WrittenElsewhere(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn().Err(err).Msg("feed watcher: cannot tell whether another process wrote; sign-outs from the command line take up to 30 s")
		}
		return
	}
	if changed {
		s.tokenChanged("")
		s.hub.adminChangedAll()
		// Perhaps `textbankd admin add`: every open stream reads its
		// user's admin campaigns again (hub.notifyAll), since SQLite does
		// not say whose roles changed.
		s.hub.notifyAll()
	}
}

// listenFeed follows a feedListener, reconnecting after interval when its
// connection fails; on every (re)connection each open stream is poked, for
// the changes announced while nobody listened, reads its token again,
// for the sign-outs, and each admin's hears that their campaigns changed. The token cache is in use only while it listens, and
// starts empty each time: a sign-out announced while nobody listened is
// then read from the database. A token change heard ends the streams of
// a token that is gone (tokenChanged), whichever server signed it out.
//
// An outage is logged once (a warning, when the connection is first lost;
// each failed reconnection after it only at debug) and its end once.
func (s *Server) listenFeed(ctx context.Context, l feedListener, interval time.Duration) {
	failures := 0 // in a row, since the listener last listened
	for {
		err := l.ListenFeed(ctx, store.Listeners{
			Ready: func() {
				if failures > 0 {
					s.log.Info().Int("failures", failures).Msg("feed listener: listening again")
					failures = 0
				}
				s.tokens.listening(true)
				s.hub.heard.Store(true)
				defer s.watching.Store(true)
				s.hub.notifyAll()
				s.hub.recheck("")
				s.hub.adminChangedAll()
			},
			Poke:    s.hub.notify,
			Roles:   s.hub.rolesChanged,
			Gone:    s.tokenChanged,
			Guessed: s.guessHeard,
			Admin:   s.hub.adminChanged,
		})
		s.tokens.listening(false)
		s.hub.heard.Store(false)
		s.watching.Store(false)
		if ctx.Err() != nil {
			return
		}
		ev := s.log.Debug()
		if failures == 0 {
			ev = s.log.Warn()
		}
		failures++
		ev.Err(err).Int("failures", failures).Msg("feed listener: connection lost; reconnecting")
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case <-time.After(interval):
		}
	}
}

// pokeAfter notifies the users with feed rows after seen and returns the
// newest version.
func (s *Server) pokeAfter(ctx context.Context, seen int64) int64 {
	var (
		latest int64
		users  []string
	)
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		if latest, err = tx.MaxFeedSeq(ctx); err != nil || latest <= seen {
			return err
		}
		users, err = tx.FeedUsersAfter(ctx, seen)
		return err
	})
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn().Err(err).Msg("feed watcher: read failed; retrying")
		}
		return seen
	}
	for _, u := range users {
		s.hub.notify(u)
	}
	return max(latest, seen)
}

func (s *Server) maxFeedSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		seq, err = tx.MaxFeedSeq(ctx)
		return err
	})
	return seq, err
}
