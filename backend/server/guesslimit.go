package server

import (
	"sync"
	"time"
)

// Login throttling: after loginMaxFailures failed logins within
// loginWindow for one account, or from one address, further attempts are
// refused (429, Retry-After) until the oldest of those failures is older
// than the window. Refused attempts cost no password hash, so a guesser
// gets about ten tries per quarter hour per account. The counts live in
// memory: a restart forgets them, which costs an attacker a restart they
// cannot cause.
const (
	loginMaxFailures = 10
	loginWindow      = 15 * time.Minute
	// loginMaxKeys bounds the memory a flood of distinct addresses can take.
	loginMaxKeys = 100_000
)

type loginLimiter struct {
	mu        sync.Mutex
	failures  map[string][]time.Time // key -> failure times, oldest first
	lastSweep time.Time
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{failures: map[string][]time.Time{}}
}

// retryAfter is how long until keys may try again; 0 when they may now.
func (l *loginLimiter) retryAfter(now time.Time, keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		times := l.prune(k, now)
		if len(times) >= loginMaxFailures {
			// Free again when enough failures have aged out of the window.
			until := times[len(times)-loginMaxFailures].Add(loginWindow)
			wait = max(wait, until.Sub(now))
		}
	}
	return wait
}

func (l *loginLimiter) fail(now time.Time, keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	// A full map is swept of expired entries, at most once a minute so a
	// flood cannot make every failure walk the whole map.
	if len(l.failures) >= loginMaxKeys && now.Sub(l.lastSweep) > time.Minute {
		l.lastSweep = now
		for k := range l.failures {
			l.prune(k, now)
		}
	}
	for _, k := range keys {
		l.failures[k] = append(l.prune(k, now), now)
	}
}

func (l *loginLimiter) reset(key string) {
	l.mu.Lock()
	delete(l.failures, key)
	l.mu.Unlock()
}

// prune drops failures older than the window; l.mu is held.
func (l *loginLimiter) prune(key string, now time.Time) []time.Time {
	times := l.failures[key]
	i := 0
	for i < len(times) && now.Sub(times[i]) >= loginWindow {
		i++
	}
	if i == len(times) {
		delete(l.failures, key)
		return nil
	}
	times = times[i:]
	l.failures[key] = times
	return times
}
