package server

import (
	"slices"
	"sync"
)

// stream is one open GET /api/v1/events, as the hub knows it.
type stream struct {
	user  string
	token string // the SHA-256 of the bearer token that opened it
	// poke: the user's feed grew. check: the token's row changed (a
	// sign-out, an expiry, an hourly touch): read it again. Both hold one
	// signal: repeated ones coalesce.
	poke, check chan struct{}
}

// hub pokes the open event streams of a user. A poke carries no data: the
// stream reads the user's newest version itself, so pokes may coalesce.
type hub struct {
	mu sync.Mutex
	// users holds each user's streams, oldest first.
	users map[string][]*stream
	// tokens finds the streams a token opened, for its sign-out.
	tokens map[string]map[*stream]struct{}
}

func newHub() *hub {
	return &hub{users: map[string][]*stream{}, tokens: map[string]map[*stream]struct{}{}}
}

// subscribe registers a stream of userID opened with tokenHash; cancel
// removes it.
func (h *hub) subscribe(userID, tokenHash string) (st *stream, cancel func()) {
	st = &stream{user: userID, token: tokenHash, poke: make(chan struct{}, 1), check: make(chan struct{}, 1)}
	h.mu.Lock()
	h.users[userID] = append(h.users[userID], st)
	if h.tokens[tokenHash] == nil {
		h.tokens[tokenHash] = map[*stream]struct{}{}
	}
	h.tokens[tokenHash][st] = struct{}{}
	h.mu.Unlock()
	return st, func() {
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

// notifyAll pokes every open stream.
func (h *hub) notifyAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, list := range h.users {
		for _, st := range list {
			signal(st.poke)
		}
	}
}

// recheck asks the streams opened with tokenHash ("": every stream) to
// read their token again, which ends those whose token is gone.
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
