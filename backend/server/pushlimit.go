package server

import (
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// Pushes of mutations are limited per user by a token bucket: pushRate a
// second, pushBurst at once. Generous on purpose: a person clicking sends a
// few a second; an app back online sends its outbox as pushes of up to 500
// mutations one after the other, as fast as they are answered; a load
// test's simulated volunteers send as fast as the server answers, each
// 7-20 a second with 200 of them, and past 150 a second each with 32 on
// loopback (the probe: no human's pace, but a fair test of the
// server, which must not be throttled into a lower figure). What it stops
// is one account (a stolen token, a runaway script on many connections)
// taking the single writer from everyone else: each push is a write
// transaction, and the writer commits some thousands a second.
// A push counts once, whatever it holds (at most maxMutations), and is
// counted before its body is read, so a refused one costs the server no
// decoding. Servers sharing one PostgreSQL database tell each other of the
// pushes they let through, in batches (pushshare.go), and each spends what
// it hears from the user's bucket, so a user behind several servers gets
// about one bucket in all, not one on each.
const (
	pushRate  = 1000
	pushBurst = 2000
	// pushSweepEvery is how often buckets that have filled up again are
	// dropped: a full bucket is what a user with no entry gets, so the
	// map holds only users who pushed within the last seconds.
	pushSweepEvery = time.Minute
)

// pushLimiter is a token bucket per user. Safe for concurrent use.
type pushLimiter struct {
	rate, burst float64

	mu        sync.Mutex
	buckets   map[string]*pushBucket
	lastSweep time.Time
}

type pushBucket struct {
	tokens float64   // below zero: other servers spent more than this one knew of
	at     time.Time // when tokens was counted
	// spent counts the pushes let through here since they were last
	// announced to other servers (pushshare.go).
	spent int
}

func newPushLimiter(rate, burst float64) *pushLimiter {
	return &pushLimiter{rate: rate, burst: burst, buckets: map[string]*pushBucket{}}
}

// take spends one token of user's bucket at now: ok, or how long until
// one is there. A refused push spends nothing, so a client that waits as
// told gets in.
func (l *pushLimiter) take(user string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > pushSweepEvery {
		l.sweepLocked(now)
	}
	b := l.bucketLocked(user, now)
	// The epsilon and the rounding up keep "wait exactly as told" from
	// missing by a float's last bit.
	if b.tokens < 1-1e-9 {
		return false, time.Duration(math.Ceil((1 - b.tokens) / l.rate * float64(time.Second)))
	}
	b.tokens = max(0, b.tokens-1)
	b.spent++
	return true, 0
}

// bucketLocked is user's bucket, refilled up to now; a new one is full.
// Updated in place: a push costs one map lookup.
func (l *pushLimiter) bucketLocked(user string, now time.Time) *pushBucket {
	b := l.buckets[user]
	if b == nil {
		b = &pushBucket{tokens: l.burst, at: now}
		l.buckets[user] = b
		return b
	}
	b.refill(now, l.rate, l.burst)
	return b
}

func (b *pushBucket) refill(now time.Time, rate, burst float64) {
	elapsed := now.Sub(b.at).Seconds()
	if elapsed < 0 { // a clock stepped back: count nothing gained
		return
	}
	b.tokens, b.at = min(burst, b.tokens+elapsed*rate), now
}

// sweepLocked drops full buckets; a count of pushes not yet announced
// goes with them (under a tenth of a second's: pushshare.go).
func (l *pushLimiter) sweepLocked(now time.Time) {
	for user, b := range l.buckets {
		if b.refill(now, l.rate, l.burst); b.tokens >= l.burst {
			delete(l.buckets, user)
		}
	}
	l.lastSweep = now
}

// tooManyPushes answers a push past the user's limit: 429, Retry-After, and
// words saying that nothing is lost (the app keeps the changes and sends
// them again).
func (s *Server) tooManyPushes(w http.ResponseWriter, r *http.Request, u store.User, wait time.Duration) {
	secs := retryAfter(w, wait)
	s.refusals.Warn().Str("user", u.ID).Int("retry_after_s", secs).Msg("push throttled: too many pushes from one user")
	s.fail(w, r, &httpError{status: http.StatusTooManyRequests, body: apiErr(api.CodeTooManyRequests, "",
		"too many changes sent too fast; they are kept, try again in %s", api.WaitWords(secs))})
}
