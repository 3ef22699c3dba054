package server

import (
	"sync"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// tokenCache keeps the users of recently seen tokens, so that a request
// need not read the database to learn who asks (on the send path that
// read was a tenth of the server's CPU). It is used only where this
// server alone changes tokens (SQLite: one serve per --data, held by its
// lock; textbankd's organizer commands never touch tokens): sign-out and
// expiry here forget the token at once. On a database other servers share
// (feedListener) the server has none (a nil *tokenCache, whose methods do
// nothing) and every request asks the database, because a sign-out on
// another server must count at once. Entries also lapse after
// tokenCacheFor, in case the rows change by hand.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
	// gen counts forgets: an entry read from the database before a forget
	// must not be put back after it (a sign-out racing a request).
	gen uint64
}

type cachedToken struct {
	user     store.User
	lastUsed time.Time
	until    time.Time // monotonic, not the server's clock
}

const (
	tokenCacheFor = 30 * time.Second
	tokenCacheMax = 20000
)

func newTokenCache() *tokenCache { return &tokenCache{m: map[string]cachedToken{}} }

// get returns the cached user of hash, and the generation a put after a
// database read must name.
func (c *tokenCache) get(hash string, now time.Time) (cachedToken, bool, uint64) {
	if c == nil {
		return cachedToken{}, false, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if ok && now.After(e.until) {
		delete(c.m, hash)
		ok = false
	}
	return e, ok, c.gen
}

// put caches what the database said of hash, unless a forget came after
// gen.
func (c *tokenCache) put(hash string, u store.User, lastUsed time.Time, gen uint64, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) >= tokenCacheMax {
		clear(c.m) // a burst of sign-ins; they are read again as they come
	}
	c.m[hash] = cachedToken{user: u, lastUsed: lastUsed, until: now.Add(tokenCacheFor)}
}

// touched records a new last use of a cached token.
func (c *tokenCache) touched(hash string, at time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[hash]; ok {
		e.lastUsed = at
		c.m[hash] = e
	}
}

// forget drops hash; call it after the token's deletion has committed.
func (c *tokenCache) forget(hash string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, hash)
	c.gen++
}
