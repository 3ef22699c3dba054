package server

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"
)

// TestLimiterKeysExpireWithoutTheTableFilling: the guess limiters dropped a
// key whose failures aged out only when it was used again or the table
// (guessMaxKeys) was full, so a flood of made-up emails, wrong join codes
// or sign-ups kept its keys (50-80 MB a table) for good. The background
// sweep drops them once they age out, far from full, and keeps those still
// counting: a recent failure, a guess in flight.
func TestLimiterKeysExpireWithoutTheTableFilling(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := &Server{now: clock, logins: newGuessLimiter(), codes: newGuessLimiter(), accounts: newSignupLimiter(0)}
	const flood = 2 * guessShrinkFrom
	for name, l := range s.limiters() {
		for i := range flood {
			failAt(t, l, now, fmt.Sprintf("%s:%d", name, i))
		}
	}
	inFlight, _, _ := s.logins.begin(now, []string{"in-flight"})
	mu.Lock()
	now = now.Add(signupWindow) // past every limiter's window
	mu.Unlock()
	failAt(t, s.codes, clock(), "recent")
	before := map[string]uintptr{}
	for name, l := range s.limiters() {
		before[name] = reflect.ValueOf(l.keys).Pointer()
	}

	ctx, stop := context.WithCancel(t.Context())
	swept := make(chan struct{})
	go func() { s.sweepLimiters(ctx, time.Millisecond); close(swept) }()
	defer func() { stop(); <-swept }()
	want := map[string][]string{"logins": {"in-flight:0"}, "codes": {"recent:1"}, "accounts": nil} // key:failures
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		left := map[string][]string{}
		done := true
		for name, l := range s.limiters() {
			l.mu.Lock()
			left[name] = keysOf(l)
			l.mu.Unlock()
			done = done && len(left[name]) == len(want[name])
		}
		if done {
			if !reflect.DeepEqual(left, want) {
				t.Fatalf("keys left after the sweep: %v, want %v", left, want)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("keys left 5 s after the window (%d aged out per limiter, none ever near %d): %d, %d, %d",
				flood, guessMaxKeys, len(left["logins"]), len(left["codes"]), len(left["accounts"]))
		}
	}
	// A map keeps the room of its peak: each was made anew.
	for name, l := range s.limiters() {
		l.mu.Lock()
		p := reflect.ValueOf(l.keys).Pointer()
		l.mu.Unlock()
		if p == before[name] {
			t.Errorf("%s: the map that held %d keys was kept for %d", name, flood, len(want[name]))
		}
	}
	inFlight.release()
}
