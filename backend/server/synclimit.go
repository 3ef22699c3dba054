package server

import (
	"net/http"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// maxSyncsPerUser bounds the pulls one user has in flight on this server.
// Each holds a read transaction, and so a connection of the store's read
// pool (4 on SQLite, 16 shared with writes on PostgreSQL), for as long as
// it loads up to a page of entities. Without it one account (a stolen
// token, a runaway script on many connections) could hold every read
// connection and stall everyone's pulls, event streams and sign-ins.
// An app pulls one page at a time, so two lets a second computer of the
// same volunteer pull at the same moment; a third waits a second (429,
// Retry-After, which the app's sync engine waits out). Pushes have their
// own limit (pushlimit.go).
const maxSyncsPerUser = 2

// syncBusyWait is the Retry-After of a pull refused for the limit: a pull
// takes milliseconds, so one of the user's others is done by then.
const syncBusyWait = time.Second

// syncGate counts each user's pulls in flight. Its zero value is ready;
// safe for concurrent use.
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
	s.refusals.Warn().Str("user", u.ID).Int("max", maxSyncsPerUser).Msg("pull refused: too many pulls in flight from one user")
	return &httpError{status: http.StatusTooManyRequests, body: apiErr(api.CodeTooManyRequests, "",
		"%d pulls of this account are already being answered; try again in %s", maxSyncsPerUser, api.WaitWords(secs))}
}
