package server

import (
	"sync"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// tokenCache keeps the users of recently seen tokens, so that a request
// need not read the database to learn who asks (on the send path that
// read was a tenth of the server's CPU). Sign-out and expiry here forget
// the token at once. Where this server alone changes tokens (SQLite: one
// serve per --data, held by its lock) that is all it takes, but for
// `textbankd users password` and `users sign-out`, which end an account's
// sign-ins from another process: the feed watcher sees that another
// process wrote the file and forgets every token (changedElsewhere,
// within a second). On a database other servers share,
// a sign-out on another server must count here too: every token row
// changed or deleted is announced (PostgreSQL's migration 0009, a trigger
// and NOTIFY) and the feed listener forgets it (listenFeed), so the cache
// is used only while that listener is connected, and starts empty each
// time it connects; otherwise every request asks the database. Entries
// also lapse after tokenCacheFor, in case the rows change by hand.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
	// gen counts forgets: an entry read from the database before a forget
	// must not be put back after it (a sign-out racing a request).
	gen uint64
	// shared: other servers change tokens too; then live says whether
	// their changes are being heard (listening), and nothing is cached
	// when not.
	shared, live bool
}

type cachedToken struct {
	user store.User
	// times: the token's sign-in and last use, which authenticate checks
	// the lifetimes against at every request, cached or not.
	times store.TokenTimes
	until time.Time // monotonic, not the server's clock
}

const (
	tokenCacheFor = 30 * time.Second
	// tokenCacheForShared bounds what a missed announcement can cost on a
	// shared database: a listener whose connection died unnoticed (for
	// up to twice postgres.listenCheck), a pooler that swallows NOTIFY.
	tokenCacheForShared = 5 * time.Second
	tokenCacheMax       = 20000
)

func newTokenCache(shared bool) *tokenCache {
	return &tokenCache{m: map[string]cachedToken{}, shared: shared}
}

// off: the cache may not be used now (a shared database, nobody listening).
func (c *tokenCache) off() bool { return c.shared && !c.live }

// listening says whether other servers' token changes are being heard; the
// cache starts or ends empty either way.
func (c *tokenCache) listening(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live = on
	c.forgetLocked("")
}

// get returns the cached user of hash, and the generation a put after a
// database read must name.
func (c *tokenCache) get(hash string, now time.Time) (cachedToken, bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.off() {
		return cachedToken{}, false, c.gen
	}
	e, ok := c.m[hash]
	if ok && now.After(e.until) {
		delete(c.m, hash)
		ok = false
	}
	return e, ok, c.gen
}

// put caches what the database said of hash, unless a forget came after
// gen.
func (c *tokenCache) put(hash string, u store.User, times store.TokenTimes, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || c.off() {
		return
	}
	if len(c.m) >= tokenCacheMax {
		clear(c.m) // a burst of sign-ins; they are read again as they come
	}
	life := tokenCacheFor
	if c.shared {
		life = tokenCacheForShared
	}
	c.m[hash] = cachedToken{user: u, times: times, until: now.Add(life)}
}

// touched records a new last use of a cached token.
func (c *tokenCache) touched(hash string, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[hash]; ok {
		e.times.LastUsed = at
		c.m[hash] = e
	}
}

// forget drops hash ("": every token); call it after the token's deletion
// has committed.
func (c *tokenCache) forget(hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgetLocked(hash)
}

// forgetUser drops every token of userID (renamed: the entries hold the
// old name); call it after the change has committed.
func (c *tokenCache) forgetUser(userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for h, e := range c.m {
		if e.user.ID == userID {
			delete(c.m, h)
		}
	}
	c.gen++
}

func (c *tokenCache) forgetLocked(hash string) {
	if hash == "" {
		clear(c.m)
	} else {
		delete(c.m, hash)
	}
	c.gen++
}
