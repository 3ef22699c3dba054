package server

import (
	"net/http"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// maxSyncsPerUser bounds the reads one user has in flight on this server
// that hold a read connection for a while: pulls, and the Admin section's
// reads (adminRead). Each holds a read transaction, and so a connection of
// the store's read pool (4 on SQLite, 16 shared with writes on PostgreSQL),
// for as long as it loads up to a page of entities, or counts a campaign's
// results. Without it one account (a stolen token, a runaway script on many
// connections) could hold every read connection and stall everyone's pulls,
// event streams and sign-ins. An app pulls one page at a time, so two lets
// a second computer of the same volunteer pull at the same moment; a third
// waits a second (429, Retry-After, which the app's sync engine waits out,
// and the app's API client asks an admin read again after). Pushes have
// their own limit (pushlimit.go).
//
// Pulls and admin reads share one count per user (the same gate, the same
// key), not one each: with two each, one admin account could again hold
// all 4 of SQLite's read connections. Sharing costs little: a pull takes
// milliseconds and an admin read at most seconds (the results of a big
// campaign), and either one refused is asked again a second later by the
// app, so neither starves the other for longer than that.
const maxSyncsPerUser = 2

// syncBusyWait is the Retry-After of a read refused for the limit: a pull
// takes milliseconds, so one of the user's others is likely done by then.
const syncBusyWait = time.Second

// syncGate counts each user's reads in flight (pulls, admin reads). Its
// zero value is ready; safe for concurrent use.
type syncGate struct {
	mu     sync.Mutex
	flying map[string]int
}

// enter takes one of user's pulls, or says that max are in flight.
func (g *syncGate) enter(user string, max int) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.flying == nil {
		g.flying = map[string]int{}
	}
	if g.flying[user] >= max {
		return false
	}
	g.flying[user]++
	return true
}

// leave gives back a pull enter let in; a user with none left is dropped,
// so the map holds only users pulling now.
func (g *syncGate) leave(user string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.flying[user] <= 1 {
		delete(g.flying, user)
		return
	}
	g.flying[user]--
}

// tooManySyncs answers a pull past the user's limit: 429 with Retry-After,
// which the app's sync engine waits out (nothing is lost: it pulls again).
func (s *Server) tooManySyncs(w http.ResponseWriter, u store.User) error {
	secs := retryAfter(w, syncBusyWait)
	s.refusals.Warn().Str("user", u.ID).Int("max", maxSyncsPerUser).Msg("pull refused: too many reads in flight from one user")
	return tooManyReads(secs)
}

// tooManyReads is the refusal's answer, the same for a pull and an admin
// read since they share the count: the words say which reads count.
func tooManyReads(secs int) error {
	return &httpError{status: http.StatusTooManyRequests, body: apiErr(api.CodeTooManyRequests, "",
		"%d pulls or Admin section reads of this account are already being answered; try again in %s",
		maxSyncsPerUser, api.WaitWords(secs))}
}

// adminRead bounds h, an Admin section read that holds a read connection
// while it scans a campaign's rows (the overview, the results, the lists
// of rows marked done, a conversation's texts), by the user's reads in
// flight, the count pulls use (maxSyncsPerUser says why one count). The
// Admin section's marks and opt-back-in are writes: not counted here.
func (s *Server) adminRead(h authedHandler) authedHandler {
	return func(w http.ResponseWriter, r *http.Request, u store.User) error {
		if !s.syncs.enter(u.ID, maxSyncsPerUser) {
			secs := retryAfter(w, syncBusyWait)
			s.refusals.Warn().Str("user", u.ID).Str("path", r.URL.Path).Int("max", maxSyncsPerUser).
				Msg("admin read refused: too many reads in flight from one user")
			return tooManyReads(secs)
		}
		defer s.syncs.leave(u.ID)
		return h(w, r, u)
	}
}
