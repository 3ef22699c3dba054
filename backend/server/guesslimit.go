package server

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// Guess throttling, for secrets a caller can try over and over: passwords
// (POST /login, keyed by account and by address) and join codes (join and
// search by code, keyed by user and by address). After guessMax failed
// guesses within guessWindow for one key, further guesses with that key are
// refused (429, Retry-After) until the oldest of those failures is older
// than the window. Refused guesses cost no password hash and no lookup, so
// a guesser gets about ten tries per quarter hour per key.
//
// Against the keys of one guesser (an account's password, a user's join
// codes) a guess is counted when it starts, not when it is found wrong:
// begin reserves it under the lock, as in flight, before the check (bcrypt
// takes tens of milliseconds), and the caller then turns it into a failure
// or releases it. So however many guesses one account or user sends at
// once, at most guessMax of them are in flight or failed within the window.
// Against a shared key (an address: a campaign office, or every client
// behind a reverse proxy) only failures count: a hundred volunteers signing
// in or joining at once from one address are not guesses. A guess found
// right is let through only while its shared keys are under the limit
// (allowed), so guesses sent at once from many accounts reveal nothing
// once the address has failed guessMax times.
//
// The counts live in memory: a restart forgets them, which costs an
// attacker a restart they cannot cause.
const (
	guessMax    = 10
	guessWindow = 15 * time.Minute
	// guessMaxKeys bounds the memory a flood of distinct addresses, emails
	// or accounts can take: it is a hard cap. When the table is full, keys
	// that hold nobody back make room (evict); only when every key is at
	// the limit is a guess that needs a new key refused, rather than a
	// throttled key forgotten: filling the table cannot free a guesser.
	guessMaxKeys = 100_000
	// guessSweepEvery is how often the server's background work drops
	// the keys whose failures all aged out (sweepLimiters), and the least
	// time between sweeps of a full table by a guess, so that a flood
	// cannot make every guess walk the whole table.
	guessSweepEvery = time.Minute
	// guessShrinkFrom: a map that held this many keys at a sweep is made
	// anew once under a quarter of them are left (sweepLocked).
	guessShrinkFrom = 1024
	// networkFactor is how many times an address's limit an IPv6 /48 key
	// (networkKeyPrefix, clientaddr.go) holds.
	networkFactor = 10
)

// limitFor is key's limit: l.max, or networkFactor times it for the /48
// a client's IPv6 address is in. l.max alone per /64 let one /48 (a
// site's usual share, free from tunnel brokers) guess 65,536 times as
// much as an IPv4 address; its /64s together now get ten addresses'
// worth, and a household or office in one /64 no less than before.
func (l *guessLimiter) limitFor(key string) int {
	if strings.HasPrefix(key, networkKeyPrefix) {
		return l.max * networkFactor
	}
	return l.max
}

type guessLimiter struct {
	max     int
	window  time.Duration
	maxKeys int

	// failed, if set, is told of every failure recorded here, after the
	// fact and outside the lock (to tell other servers: guessshare.go).
	failed func(keys []string, at time.Time)

	mu        sync.Mutex
	keys      map[string]*guessRecord
	lastSweep time.Time
	// peak is the most keys a sweep found since keys was made.
	peak int
}

// guessRecord is one key's failures (oldest first) and its guesses still
// being checked.
type guessRecord struct {
	failures []time.Time
	inFlight int
}

func newGuessLimiter() *guessLimiter {
	return &guessLimiter{max: guessMax, window: guessWindow, maxKeys: guessMaxKeys, keys: map[string]*guessRecord{}}
}

// guess is one reserved attempt; exactly one of fail and release settles
// it (later calls do nothing), and only its own goroutine uses it.
type guess struct {
	l       *guessLimiter
	keys    []string // reserved: in flight until settled
	shared  []string // failures only
	settled bool
}

// begin reserves a guess against the guesser's keys, after checking them
// and the shared keys, or says how long until they may guess again. full
// is true when the refusal is the table being full rather than failures.
func (l *guessLimiter) begin(now time.Time, keys []string, shared ...string) (g *guess, wait time.Duration, full bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	wait = l.waitFor(now, shared)
	fresh := 0
	for _, k := range keys {
		r := l.prune(k, now)
		if r == nil {
			fresh++
			continue
		}
		if n, limit := len(r.failures)+r.inFlight, l.limitFor(k); n >= limit {
			// Free again when enough failures have aged out of the window,
			// counting the guesses in flight as failing now.
			at := now
			if i := n - limit; i < len(r.failures) {
				at = r.failures[i]
			}
			wait = max(wait, at.Add(l.window).Sub(now))
		}
	}
	if wait > 0 {
		return nil, wait, false
	}
	if fresh > 0 && len(l.keys)+fresh > l.maxKeys {
		if now.Sub(l.lastSweep) >= guessSweepEvery {
			l.sweepLocked(now)
		}
		l.evict(len(l.keys) + fresh - l.maxKeys)
		if len(l.keys)+fresh > l.maxKeys {
			return nil, max(l.lastSweep.Add(guessSweepEvery).Sub(now), time.Second), true
		}
	}
	for _, k := range keys {
		r := l.keys[k]
		if r == nil {
			r = &guessRecord{}
			l.keys[k] = r
		}
		r.inFlight++
	}
	return &guess{l: l, keys: keys, shared: shared}, 0, false
}

// tripped is the limit that holds keys back at now: the first of them at
// it, an address's or a /48's (limitFor); 0 when none is. Only a refusal's
// log line asks, after begin refused.
func (l *guessLimiter) tripped(now time.Time, keys []string) (limit int, network bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		r := l.prune(k, now)
		if r == nil {
			continue
		}
		if n := l.limitFor(k); len(r.failures)+r.inFlight >= n {
			return n, strings.HasPrefix(k, networkKeyPrefix)
		}
	}
	return 0, false
}

// sweep drops every key whose failures all aged out and that has no guess
// in flight. Without it a key went only when it was used again or the
// table was full, so after a flood of made-up emails or addresses the
// table stayed full (50-80 MB) for good.
func (l *guessLimiter) sweep(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweepLocked(now)
}

// sweepLocked is sweep with l.mu held. A Go map keeps the room of the most
// keys it held after they are deleted (some 3.5 MB at 100,000 keys), so
// once under a quarter of its peak is left it is made anew at its size.
func (l *guessLimiter) sweepLocked(now time.Time) {
	l.lastSweep = now
	l.peak = max(l.peak, len(l.keys))
	for k := range l.keys {
		l.prune(k, now)
	}
	if l.peak >= guessShrinkFrom && len(l.keys) < l.peak/4 {
		keys := make(map[string]*guessRecord, len(l.keys))
		for k, r := range l.keys {
			keys[k] = r
		}
		l.keys, l.peak = keys, len(keys)
	}
}

// evict forgets up to n keys that hold nobody back: under guessMax
// failures and no guess in flight (any of them, in the map's random
// order). A key at the limit is never forgotten, so a flood cannot free a
// throttled guesser; what it can wipe is a count below the limit, which
// then costs a flooder a new key's failure (a password hash) per key to
// win back so few guesses that it is no attack. Without it a flood of
// made-up emails from many addresses (an IPv6 /64 adds ten account keys
// and its own before it is throttled) filled the table and every sign-in
// of an account without a key was refused until the flood aged out. The
// table then fills only with keys at the limit: ten failures each. l.mu
// is held.
func (l *guessLimiter) evict(n int) {
	for k, r := range l.keys {
		if n <= 0 {
			return
		}
		if r.inFlight == 0 && len(r.failures) < l.limitFor(k) {
			delete(l.keys, k)
			n--
		}
	}
}

// waitFor is how long until shared keys may guess again, by their
// failures; 0: they may now. l.mu is held.
func (l *guessLimiter) waitFor(now time.Time, keys []string) time.Duration {
	var wait time.Duration
	for _, k := range keys {
		r := l.prune(k, now)
		if r == nil {
			continue
		}
		if n, limit := len(r.failures), l.limitFor(k); n >= limit {
			wait = max(wait, r.failures[n-limit].Add(l.window).Sub(now))
		}
	}
	return wait
}

// allowed says whether a guess found right may be let through: its shared
// keys' failures, some recorded while it was checked, are under the limit;
// else how long to wait. The guess is not settled.
func (g *guess) allowed(now time.Time) (time.Duration, bool) {
	l := g.l
	l.mu.Lock()
	defer l.mu.Unlock()
	wait := l.waitFor(now, g.shared)
	return wait, wait == 0
}

// fail records the guess as a failure at now against every key.
func (g *guess) fail(now time.Time) {
	if g == nil || g.settled {
		return
	}
	g.settle(func(r *guessRecord) { r.failed(now) })
	l := g.l
	l.mu.Lock()
	l.recordShared(g.shared, now)
	l.mu.Unlock()
	if l.failed != nil {
		l.failed(append(slices.Clip(g.keys), g.shared...), now)
	}
}

// failed adds a failure at at. Guesses end in any order, and other
// servers' arrive late: the failures are kept sorted.
func (r *guessRecord) failed(at time.Time) {
	i := len(r.failures)
	for i > 0 && r.failures[i-1].After(at) {
		i--
	}
	r.failures = slices.Insert(r.failures, i, at)
}

// recordShared records a failure at at for keys that may not be in the
// table yet; l.mu is held.
func (l *guessLimiter) recordShared(keys []string, at time.Time) {
	for _, k := range keys {
		r := l.keys[k]
		if r == nil {
			if len(l.keys) >= l.maxKeys {
				continue // full: the guesser's own keys still count it
			}
			r = &guessRecord{}
			l.keys[k] = r
		}
		r.failed(at)
	}
}

// heard records a failure another server counted at at against keys.
func (l *guessLimiter) heard(keys []string, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recordShared(keys, at)
}

// over says whether any of keys has more than its limit of failures within
// the window at now, and how long until they may guess again: a guess just
// failed beyond the limit (guesses sent at once all pass the check of a
// shared key before any of them fails).
func (l *guessLimiter) over(now time.Time, keys ...string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var past []string
	for _, k := range keys {
		if r := l.prune(k, now); r != nil && len(r.failures) > l.limitFor(k) {
			past = append(past, k)
		}
	}
	if len(past) == 0 {
		return 0, false
	}
	return l.waitFor(now, past), true
}

// release settles the guess without a failure (it was right, or never
// checked).
func (g *guess) release() { g.settle(nil) }

func (g *guess) settle(then func(*guessRecord)) {
	if g == nil || g.settled {
		return
	}
	g.settled = true
	l := g.l
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range g.keys {
		r := l.keys[k] // present: in flight keeps it from being pruned
		r.inFlight--
		if then != nil {
			then(r)
		}
		if r.inFlight == 0 && len(r.failures) == 0 {
			delete(l.keys, k)
		}
	}
}

// clear forgets key's failures; its guesses in flight still count.
func (l *guessLimiter) clear(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.keys[key]
	if r == nil {
		return
	}
	r.failures = nil
	if r.inFlight == 0 {
		delete(l.keys, key)
	}
}

// prune drops key's failures older than the window and the key itself once
// it has neither failures nor guesses in flight; l.mu is held.
func (l *guessLimiter) prune(key string, now time.Time) *guessRecord {
	r := l.keys[key]
	if r == nil {
		return nil
	}
	i := 0
	for i < len(r.failures) && now.Sub(r.failures[i]) >= l.window {
		i++
	}
	r.failures = r.failures[i:]
	if len(r.failures) == 0 && r.inFlight == 0 {
		delete(l.keys, key)
		return nil
	}
	return r
}
