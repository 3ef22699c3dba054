package server

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/google/uuid"
)

// guessSharer is a store several servers share (PostgreSQL): a failed
// guess one server counts is announced to all (store.Listeners.Guessed),
// so that an account's wrong passwords, or a user's wrong join codes, are
// limited to 10 a quarter hour across the servers, not 10 on each; and so
// is an account created (signuplimit.go), so that an address creates
// --signups-per-hour accounts across the servers, not that many on each;
// and, in batches, the pushes a server let through (pushshare.go), so that
// a user's push limit holds across the servers. Guesses (and sign-ups) in
// flight stay each server's own, and a server restarted, or whose listener
// was reconnecting, has not heard what was announced meanwhile.
type guessSharer interface {
	AnnounceGuess(ctx context.Context, payload string) error
}

// guessNote is a failure (or a batch of pushes) as announced.
type guessNote struct {
	From    string   `json:"from"`    // the announcing server's id: it does not count it twice
	Limiter string   `json:"limiter"` // "logins", "codes", "accounts" or "pushes"
	Keys    []string `json:"keys"`
	// Spent, for "pushes" only, is how many pushes each of Keys (a user)
	// made on the announcing server since its last note; none for the
	// others, whose note is one failure of every key.
	Spent []int `json:"spent,omitempty"`
	At    int64 `json:"at"` // unix microseconds, the announcing server's clock
}

// Bounds on what is believed of a note, which anyone with the database
// could write: a failure has at most three keys of an email's or address's
// length; a batch of pushes names at most pushNoteKeys users.
const (
	guessNoteKeys   = 4
	guessNoteKeyLen = 300
)

// shareGuesses announces this server's failures through sh.
func (s *Server) shareGuesses(sh guessSharer) {
	s.id = uuid.NewString()
	s.sharer = sh
	for name, l := range s.limiters() {
		l.failed = func(keys []string, at time.Time) {
			raw, _ := json.Marshal(guessNote{From: s.id, Limiter: name, Keys: keys, At: at.UnixMicro()})
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				if err := sh.AnnounceGuess(ctx, string(raw)); err != nil {
					s.log.Warn().Err(err).Str("limiter", name).Msg("a failed guess was not announced to the other servers")
				}
			}()
		}
	}
}

func (s *Server) limiters() map[string]*guessLimiter {
	return map[string]*guessLimiter{"logins": s.logins, "codes": s.codes, "accounts": s.accounts}
}

// guessHeard counts a failure, or a batch of pushes, another server
// announced.
func (s *Server) guessHeard(payload string) {
	var n guessNote
	if err := json.Unmarshal([]byte(payload), &n); err != nil || n.From == "" || n.From == s.id {
		return
	}
	l := s.limiters()[n.Limiter]
	maxKeys, window, now := guessNoteKeys, time.Duration(0), s.clock()
	switch {
	case n.Limiter == pushNoteLimiter:
		// Pushes are limited by the wall clock (handleMutations).
		maxKeys, window, now = pushNoteKeys, pushNoteWindow, time.Now()
		if len(n.Spent) != len(n.Keys) || slices.ContainsFunc(n.Spent, func(c int) bool { return c < 1 }) {
			return
		}
	case l != nil && n.Spent == nil:
		window = l.window
	default:
		return
	}
	if len(n.Keys) == 0 || len(n.Keys) > maxKeys {
		return
	}
	// A server announces each failure's (or batch's) keys once, none
	// empty; a note otherwise is forged and would count one failure twice.
	for i, k := range n.Keys {
		if k == "" || len(k) > guessNoteKeyLen || slices.Contains(n.Keys[:i], k) {
			return
		}
	}
	at := time.UnixMicro(n.At).UTC()
	if at.After(now) {
		at = now // clocks disagree: no failure counts beyond the window from now
	}
	if now.Sub(at) >= window {
		return
	}
	if l == nil {
		s.pushes.heard(n.Keys, n.Spent, now)
		return
	}
	l.heard(n.Keys, at)
}
