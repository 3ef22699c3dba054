package server

import (
	"net/http"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// New accounts per client address. Each sign-up that creates an account
// costs a password hash and a row for good, and an account is one more
// "user" to spread join code guesses over; so one address creates at most
// Config.SignupsPerHour accounts (DefaultSignupsPerHour) within
// signupWindow. A room of volunteers signing up together from one office
// is well under it; a script making accounts by the thousand is not.
//
// The count uses the guess limiter's reservation: a sign-up is counted when
// it is let through, before its password is hashed, so sign-ups sent at
// once from one address cannot overshoot; one that creates no account
// (email taken, a store error, the hash gate busy) is given back.
//
// Servers sharing one PostgreSQL database announce each account made to
// the others, as they do failed guesses (guessshare.go), so the limit holds
// across them. The counts stay in memory rather than being read from the
// database (accounts created from an address within the hour): that would
// store every volunteer's address with their account, or in a table of its
// own, for the sake of an hour's count, and a restart forgetting the counts
// costs a script a restart it cannot cause.
const (
	DefaultSignupsPerHour = 30
	signupWindow          = time.Hour
)

func newSignupLimiter(perHour int) *guessLimiter {
	if perHour <= 0 {
		perHour = DefaultSignupsPerHour
	}
	l := newGuessLimiter()
	l.max, l.window = perHour, signupWindow
	return l
}

// beginAccount reserves one of the address's new accounts, or answers 429
// and returns nil. The caller settles the reservation: created (the account
// exists) or release (none was made).
func (s *Server) beginAccount(w http.ResponseWriter, r *http.Request) *guess {
	addr := s.clientAddress(r)
	now, keys := s.clock(), s.throttleKeys(r, "created:")
	g, wait, full := s.accounts.begin(now, keys)
	if wait <= 0 {
		return g
	}
	secs := retryAfter(w, wait)
	ev := s.refusals.Warn().Str("address", addr)
	if full {
		ev.Msg("sign-up refused: the throttle's table is full")
	} else {
		// The limit that tripped: an IPv6 client's /48 has ten times an
		// address's, and the line said the address's when the /48's held it.
		limit, network := s.accounts.tripped(now, keys)
		msg := "sign-up throttled: too many accounts created from this address within the hour"
		if network {
			msg = "sign-up throttled: too many accounts created from this address's IPv6 /48 within the hour"
		}
		ev.Int("max", limit).Msg(msg)
	}
	s.fail(w, r, &httpError{status: http.StatusTooManyRequests, body: apiErr(api.CodeTooManyAttempts, "",
		"too many new accounts were made from your network in the last hour; try again in %s, or sign in if you already have an account",
		api.WaitWords(secs))})
	return nil
}

// created counts the reservation as an account made now.
func (g *guess) created(now time.Time) { g.fail(now) }
