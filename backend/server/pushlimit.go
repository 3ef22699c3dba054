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
// decoding. Each server counts its own: behind several servers a user gets
// a bucket on each, which is still far from a writer's capacity.
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
	buckets   map[string]pushBucket
	lastSweep time.Time
}

type pushBucket struct {
	tokens float64
	at     time.Time // when tokens was counted
}

func newPushLimiter(rate, burst float64) *pushLimiter {
	return &pushLimiter{rate: rate, burst: burst, buckets: map[string]pushBucket{}}
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
	tokens := l.tokensLocked(user, now)
	// The epsilon and the rounding up keep "wait exactly as told" from
	// missing by a float's last bit.
	if tokens < 1-1e-9 {
		return false, time.Duration(math.Ceil((1 - tokens) / l.rate * float64(time.Second)))
	}
	l.buckets[user] = pushBucket{tokens: max(0, tokens-1), at: now}
	return true, 0
}

// tokensLocked is what user's bucket holds at now.
func (l *pushLimiter) tokensLocked(user string, now time.Time) float64 {
	b, ok := l.buckets[user]
	if !ok {
		return l.burst
	}
	elapsed := now.Sub(b.at).Seconds()
	if elapsed < 0 { // a clock stepped back: count nothing gained
		elapsed = 0
	}
	return min(l.burst, b.tokens+elapsed*l.rate)
}

func (l *pushLimiter) sweepLocked(now time.Time) {
	for user := range l.buckets {
		if l.tokensLocked(user, now) >= l.burst {
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
