package server

import (
	"maps"
	"slices"
	"sync"
	"sync/atomic"
)

// maxStreamsPerUser caps one user's open event streams on one server. A
// desktop app holds one; a volunteer may run it on a few machines, and an
// app whose old connection is half dead (a laptop that slept, a NAT that
// forgot it) opens a new one before the server notices the old is gone.
// Each stream is a goroutine and a connection, so without a cap one
// account could hold any number of them.
const maxStreamsPerUser = 8

// stream is one open GET /api/v1/events, as the hub knows it.
type stream struct {
	user  string
	token string // the SHA-256 of the bearer token that opened it
	// poke: the user's feed grew. check: the token's row changed (a
	// sign-out, an expiry, an hourly touch): read it again. Both hold one
	// signal: repeated ones coalesce.
	poke, check chan struct{}
	// admin: a campaign of admins changed (pending names which). admins
	// are the campaigns the user is an admin of, as the stream last read
	// them (setAdmins). Both under the hub's mu.
	admin   chan struct{}
	admins  map[string]struct{}
	pending map[string]struct{}
	// roles: the user's memberships or admin rights may have changed
	// since the stream last read their admin campaigns (rolesChanged), so
	// it reads them again at its next poke; under the hub's mu. A feed
	// that grew for any other reason (a text, a reply) costs no such read.
	roles bool
	// ended is closed when the hub drops the stream to make room for a
	// newer one of the same user (maxStreamsPerUser).
	ended chan struct{}
}

// hub pokes the open event streams of a user. A poke carries no data: the
// stream reads the user's newest version itself, so pokes may coalesce.
type hub struct {
	mu sync.Mutex
	// users holds each user's streams, oldest first.
	users map[string][]*stream
	// tokens finds the streams a token opened, for its sign-out.
	tokens map[string]map[*stream]struct{}
	// campaigns finds the streams of a campaign's admins.
	campaigns map[string]map[*stream]struct{}
	limit     int // streams per user
	// heard: the feed listener is listening, so the store's announcements
	// of Admin section changes reach the hub, this server's own commits'
	// too (Server.commitGroup then leaves them to it).
	heard atomic.Bool
}

func newHub(limit int) *hub {
	return &hub{users: map[string][]*stream{}, tokens: map[string]map[*stream]struct{}{},
		campaigns: map[string]map[*stream]struct{}{}, limit: limit}
}

// subscribe registers a stream of userID opened with tokenHash. When the
// user already holds limit streams here, the oldest ends (its ended
// closes; dropped counts them) rather than the new one being refused: the
// newest stream is the one most likely alive, and refusing it would lock
// out an app reconnecting while its old connection has not yet timed out.
// A user who really runs more apps than the limit gets streams that take
// turns: an ended stream is told it was replaced (handleEvents), and its
// app pulls on its timer and asks again only a poll interval later, not at
// once. cancel removes the stream;
// after the hub dropped it, it does nothing.
func (h *hub) subscribe(userID, tokenHash string) (st *stream, dropped int, cancel func()) {
	st = &stream{user: userID, token: tokenHash,
		poke: make(chan struct{}, 1), check: make(chan struct{}, 1), admin: make(chan struct{}, 1),
		pending: map[string]struct{}{}, ended: make(chan struct{}), roles: true}
	h.mu.Lock()
	for len(h.users[userID]) >= h.limit {
		oldest := h.users[userID][0]
		h.removeLocked(oldest)
		close(oldest.ended)
		dropped++
	}
	h.users[userID] = append(h.users[userID], st)
	if h.tokens[tokenHash] == nil {
		h.tokens[tokenHash] = map[*stream]struct{}{}
	}
	h.tokens[tokenHash][st] = struct{}{}
	h.mu.Unlock()
	return st, dropped, func() {
		h.mu.Lock()
		h.removeLocked(st)
		h.mu.Unlock()
	}
}

// removeLocked forgets st, if the hub still holds it.
func (h *hub) removeLocked(st *stream) {
	list := h.users[st.user]
	i := slices.Index(list, st)
	if i < 0 {
		return
	}
	if list = slices.Delete(list, i, i+1); len(list) == 0 {
		delete(h.users, st.user)
	} else {
		h.users[st.user] = list
	}
	delete(h.tokens[st.token], st)
	if len(h.tokens[st.token]) == 0 {
		delete(h.tokens, st.token)
	}
	h.indexLocked(st, nil)
}

// indexLocked makes admins st's admin campaigns in the campaigns index.
func (h *hub) indexLocked(st *stream, admins map[string]struct{}) {
	for c := range st.admins {
		delete(h.campaigns[c], st)
		if len(h.campaigns[c]) == 0 {
			delete(h.campaigns, c)
		}
	}
	st.admins = admins
	for c := range admins {
		if h.campaigns[c] == nil {
			h.campaigns[c] = map[*stream]struct{}{}
		}
		h.campaigns[c][st] = struct{}{}
	}
}

// setAdmins records the campaigns st's user is an admin of now: only
// their streams hear of a campaign's Admin section changing. A campaign
// the user is no longer admin of drops its pending change with it.
func (h *hub) setAdmins(st *stream, campaignIDs []string) {
	admins := make(map[string]struct{}, len(campaignIDs))
	for _, c := range campaignIDs {
		admins[c] = struct{}{}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !slices.Contains(h.users[st.user], st) {
		return // dropped or cancelled meanwhile: not indexed again
	}
	h.indexLocked(st, admins)
	maps.DeleteFunc(st.pending, func(c string, _ struct{}) bool { _, ok := admins[c]; return !ok })
}

// adminChanged tells the streams of the campaign's admins that its Admin
// section changed.
func (h *hub) adminChanged(campaignID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for st := range h.campaigns[campaignID] {
		st.pending[campaignID] = struct{}{}
		signal(st.admin)
	}
}

// adminChangedAll tells every admin's stream that each of their
// campaigns changed: for changes nobody announced (another process's
// write to SQLite, announcements missed while the listener was down).
func (h *hub) adminChangedAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c, list := range h.campaigns {
		for st := range list {
			st.pending[c] = struct{}{}
			signal(st.admin)
		}
	}
}

// takeAdmin returns the campaigns changed since st last asked, sorted,
// and forgets them.
func (h *hub) takeAdmin(st *stream) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	ids := slices.Sorted(maps.Keys(st.pending))
	clear(st.pending)
	return ids
}

// signal leaves one pending signal on ch; one already pending stands for
// both (the stream reads the newest state itself).
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

func (h *hub) notify(userID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, st := range h.users[userID] {
		signal(st.poke)
	}
}

// rolesChanged pokes the user's streams, which read their admin
// campaigns again too: a commit, here or elsewhere, may have changed the
// user's memberships or admin rights (Tx.RolesChanged), or nobody can say
// what it changed (another process's write to SQLite).
func (h *hub) rolesChanged(userID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, st := range h.users[userID] {
		st.roles = true
		signal(st.poke)
	}
}

// takeRoles reports whether st's user's roles may have changed since st
// last asked, and forgets it.
func (h *hub) takeRoles(st *stream) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	stale := st.roles
	st.roles = false
	return stale
}

// notifyAll pokes every open stream, which reads its user's admin
// campaigns again too: for the changes announced while nobody listened.
func (h *hub) notifyAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, list := range h.users {
		for _, st := range list {
			st.roles = true
			signal(st.poke)
		}
	}
}

// recheck asks the streams opened with tokenHash ("": every stream) to
// read their token again, which ends those whose token is gone.
// recheckUser has every event stream of userID check its token again (a
// password change ended some of the account's sign-ins).
func (h *hub) recheckUser(userID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, st := range h.users[userID] {
		signal(st.check)
	}
}

func (h *hub) recheck(tokenHash string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if tokenHash != "" {
		for st := range h.tokens[tokenHash] {
			signal(st.check)
		}
		return
	}
	for _, list := range h.users {
		for _, st := range list {
			signal(st.check)
		}
	}
}
