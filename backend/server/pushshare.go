package server

import (
	"context"
	"encoding/json"
	"time"
)

// The push limit across servers sharing one PostgreSQL database. Each
// server keeps its own token bucket per user (pushlimit.go) and, every
// pushShareEvery, announces in one note (several past pushNoteKeys users)
// how many pushes each user made on it since their last note, through the
// guesses' channel (guessshare.go); every other server spends as many
// tokens of that user's bucket. So the servers together let a user through
// about one bucket's worth, however the load balancer spreads them.
//
// Announcing each push would put a NOTIFY, a database round trip and a
// wake-up of every server's listener behind the hottest request there is
// (thousands a second under the load test); a batch costs each server at
// most a few NOTIFYs a second, whatever the traffic. And only users who
// pushed at least a tenth of a second's rate (pushShareFraction) since
// their last note are named: the load test's volunteers, at 7-20 pushes a
// second each, are named about every five seconds, a person clicking
// hardly ever. The price is slack, not a hole: on top of the shared
// bucket, a user can get through up to what each other server has not yet
// announced (under a tenth of a second's rate, plus a quarter second's
// pushes, plus the NOTIFY's delay), and a count still under that tenth
// when the user's bucket fills up again and is swept is never announced.
// A server restarted, or whose listener was reconnecting, has not heard
// what was announced meanwhile.
const (
	pushShareEvery    = 250 * time.Millisecond
	pushShareFraction = 10
	pushNoteLimiter   = "pushes"
	// pushNoteKeys bounds a note's users: a hundred user ids (UUIDs) and
	// counts are about 5 KB, under NOTIFY's 8,000 bytes.
	pushNoteKeys = 100
	// pushNoteWindow: a note older than this (a listener far behind)
	// counts nothing: a bucket refills entirely within two seconds.
	pushNoteWindow = 5 * time.Second
)

// announcePushes tells the other servers of the pushes made here, every
// pushShareEvery until ctx ends or the server is closed; nothing when the
// store is not shared.
func (s *Server) announcePushes(ctx context.Context) {
	if s.sharer == nil {
		return
	}
	s.every(ctx, pushShareEvery, func() {
		users, spent := s.pushes.unannounced()
		for len(users) > 0 {
			n := min(len(users), pushNoteKeys)
			raw, _ := json.Marshal(guessNote{From: s.id, Limiter: pushNoteLimiter, Keys: users[:n], Spent: spent[:n], At: time.Now().UnixMicro()})
			users, spent = users[n:], spent[n:]
			// In this goroutine: while the database is slow the counts
			// wait here, the ticker drops ticks, and no request waits.
			send, cancel := context.WithTimeout(ctx, 5*time.Second)
			err := s.sharer.AnnounceGuess(send, string(raw))
			cancel()
			if err != nil && ctx.Err() == nil {
				s.log.Warn().Err(err).Int("users", n).Msg("pushes were not announced to the other servers")
			}
		}
	})
}

// unannounced takes, for every user who made at least a tenth of a
// second's pushes here since their last note, how many: the count starts
// again from nothing. Others' counts keep growing until they are named.
func (l *pushLimiter) unannounced() (users []string, spent []int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	least := max(1, int(l.rate/pushShareFraction))
	for u, b := range l.buckets {
		if b.spent < least {
			continue
		}
		users, spent = append(users, u), append(spent, b.spent)
		b.spent = 0
	}
	return users, spent
}

// heard spends what another server let through: spent[i] of users[i]'s
// tokens at now. A bucket goes below zero (the other servers spent more
// than this one had), down to one burst in debt: the user waits until the
// pushes let through in all are back within the shared rate.
func (l *pushLimiter) heard(users []string, spent []int, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	// Swept here too, not only when this server takes a push: a server
	// that takes none (its volunteers push through the others) kept a
	// bucket for every user any server had announced, for good.
	if now.Sub(l.lastSweep) > pushSweepEvery {
		l.sweepLocked(now)
	}
	for i, u := range users {
		b := l.bucketLocked(u, now)
		b.tokens = max(-l.burst, b.tokens-float64(spent[i]))
	}
}
