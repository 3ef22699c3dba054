package server

import (
	"fmt"
	"testing"
	"time"
)

// failAt begins a guess at now against key (and shared) and fails it
// then, as a wrong password does.
func failAt(t *testing.T, l *guessLimiter, now time.Time, key string, shared ...string) {
	t.Helper()
	g, wait, _ := l.begin(now, []string{key}, shared...)
	if wait != 0 {
		t.Fatalf("guess at %v refused: wait %v", now, wait)
	}
	g.fail(now)
}

func TestGuessLimiterWindow(t *testing.T) {
	l := newGuessLimiter()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range guessMax {
		failAt(t, l, t0.Add(time.Duration(i)*time.Minute), "k")
	}
	// The 10 failures span 0..9 minutes; the first ages out at 15.
	if _, w, _ := l.begin(t0.Add(9*time.Minute), []string{"k"}); w != 6*time.Minute {
		t.Fatalf("wait %v, want 6m", w)
	}
	failAt(t, l, t0.Add(15*time.Minute), "k")
	if _, w, _ := l.begin(t0.Add(15*time.Minute), []string{"k"}); w != time.Minute {
		t.Fatalf("after one more failure: wait %v, want 1m (until the minute-1 failure ages out)", w)
	}
	if g, w, _ := l.begin(t0.Add(15*time.Minute), []string{"other"}); w != 0 {
		t.Fatalf("another key throttled: %v", w)
	} else {
		g.release()
	}
	// A guess refused for one key counts against none.
	if _, w, _ := l.begin(t0.Add(15*time.Minute), []string{"other", "k"}); w != time.Minute {
		t.Fatalf("other and k: wait %v, want 1m", w)
	}
	if r := l.keys["other"]; r != nil {
		t.Fatalf("the refused guess counted against other: %+v", r)
	}
}

// Guesses in flight count: however many begin at once, at most guessMax are
// let through before any of them ends, and releasing one lets one more in.
func TestGuessLimiterCountsGuessesInFlight(t *testing.T) {
	l := newGuessLimiter()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var admitted []*guess
	for range 3 * guessMax {
		if g, _, _ := l.begin(t0, []string{"account"}, "address"); g != nil {
			admitted = append(admitted, g)
		}
	}
	if len(admitted) != guessMax {
		t.Fatalf("%d guesses in flight at once, want %d", len(admitted), guessMax)
	}
	// The refusal counts the guesses in flight as failing now.
	if _, w, _ := l.begin(t0.Add(time.Minute), []string{"account"}); w != 15*time.Minute {
		t.Fatalf("wait %v with %d in flight, want 15m", w, guessMax)
	}
	// A right guess ends without a failure and frees its place.
	admitted[0].release()
	admitted[0].fail(t0) // settled already: no effect
	g, w, _ := l.begin(t0, []string{"account"})
	if w != 0 {
		t.Fatalf("a released guess still counts: wait %v", w)
	}
	g.release()
	for _, g := range admitted[1:] {
		g.fail(t0.Add(time.Minute))
	}
	if r := l.keys["account"]; r == nil || len(r.failures) != guessMax-1 || r.inFlight != 0 {
		t.Fatalf("account record %+v, want %d failures and none in flight", r, guessMax-1)
	}
	// Clearing forgets failures but not guesses in flight.
	last, _, _ := l.begin(t0.Add(time.Minute), []string{"account"})
	if again, _, _ := l.begin(t0.Add(time.Minute), []string{"account"}); last == nil || again != nil {
		t.Fatalf("with %d failures: guesses %v then %v, want one let in", guessMax-1, last, again)
	}
	l.clear("account")
	if r := l.keys["account"]; r == nil || len(r.failures) != 0 || r.inFlight != 1 {
		t.Fatalf("after clear: %+v, want no failures and 1 in flight", r)
	}
	last.fail(t0.Add(2 * time.Minute))
	if r := l.keys["account"]; r == nil || len(r.failures) != 1 || r.inFlight != 0 {
		t.Fatalf("after the in-flight guess failed: %+v", r)
	}
}

// Failures end out of order under concurrency; they are kept sorted so
// that the window drops the oldest.
func TestGuessLimiterKeepsFailuresSorted(t *testing.T) {
	l := newGuessLimiter()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var gs []*guess
	for range 3 {
		g, _, _ := l.begin(t0, []string{"k"})
		gs = append(gs, g)
	}
	gs[0].fail(t0.Add(3 * time.Second))
	gs[1].fail(t0.Add(1 * time.Second))
	gs[2].fail(t0.Add(2 * time.Second))
	got := l.keys["k"].failures
	for i := 1; i < len(got); i++ {
		if got[i].Before(got[i-1]) {
			t.Fatalf("failures out of order: %v", got)
		}
	}
}

// The table never holds more than maxKeys keys. When it is full, keys
// under the limit make room for new ones; when every key is at the limit,
// a guess needing a new key is refused (after a sweep of what has aged
// out), and the keys already there keep their failures: filling the table
// cannot free a throttled guesser.
func TestGuessLimiterHardCap(t *testing.T) {
	l := newGuessLimiter()
	l.maxKeys = 4
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for range guessMax {
		failAt(t, l, t0, "account:victim", "address:attacker")
	}
	// A flood of made-up emails from new addresses fills the table...
	failAt(t, l, t0.Add(time.Minute), "account:x", "address:a1")
	// ...and a real volunteer's sign-in still gets in: the flood's keys,
	// one failure each, make room.
	g, w, full := l.begin(t0.Add(time.Minute), []string{"account:real"}, "address:office")
	if g == nil || full || w != 0 {
		t.Fatalf("a sign-in after a flood of one-failure keys: guess %v wait %v full %v, want let through", g, w, full)
	}
	g.release()
	if len(l.keys) > l.maxKeys {
		t.Fatalf("%d keys, cap %d", len(l.keys), l.maxKeys)
	}
	// Keys at the limit are never forgotten: with the victim's, the
	// attacker's and two more throttled keys, the table refuses a new key.
	for _, k := range []string{"account:x", "address:a1", "account:real", "address:office"} {
		delete(l.keys, k)
	}
	for _, k := range []string{"account:x2", "address:a3"} {
		r := &guessRecord{}
		for range guessMax {
			r.failures = append(r.failures, t0.Add(time.Minute))
		}
		l.keys[k] = r
	}
	if g, w, full := l.begin(t0.Add(time.Minute), []string{"account:y"}, "address:a2"); g != nil || !full || w <= 0 {
		t.Fatalf("new keys in a table of throttled keys: guess %v wait %v full %v, want refused as full (keys %v)", g, w, full, keysOf(l))
	}
	if len(l.keys) > l.maxKeys {
		t.Fatalf("%d keys, cap %d", len(l.keys), l.maxKeys)
	}
	// The victim's account is still throttled, from any address.
	if _, w, full := l.begin(t0.Add(2*time.Minute), []string{"account:victim"}); w != 13*time.Minute || full {
		t.Fatalf("victim after the flood: wait %v full %v, want 13m", w, full)
	}
	// Once failures age out, a sweep makes room.
	g, w, _ = l.begin(t0.Add(15*time.Minute), []string{"account:y"}, "address:a2")
	if w != 0 {
		t.Fatalf("after the window: wait %v", w)
	}
	g.release()
	if len(l.keys) > l.maxKeys {
		t.Fatalf("%d keys, cap %d", len(l.keys), l.maxKeys)
	}
}

// A shared key (an address) counts failures only: any number of guessers
// behind it may guess at once; once it has failed guessMax times, new
// guesses are refused, and a guess found right meanwhile is not allowed.
func TestGuessLimiterSharedKeysCountFailuresOnly(t *testing.T) {
	l := newGuessLimiter()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var gs []*guess
	for i := range 3 * guessMax {
		g, w, _ := l.begin(t0, []string{fmt.Sprint("user:", i)}, "address:office")
		if g == nil {
			t.Fatalf("guess %d from one address refused (wait %v) with none failed", i, w)
		}
		gs = append(gs, g)
	}
	for _, g := range gs[:guessMax] {
		g.fail(t0)
	}
	if w, ok := gs[guessMax].allowed(t0); ok || w != guessWindow {
		t.Fatalf("a right guess after the address failed %d times: allowed %v (wait %v)", guessMax, ok, w)
	}
	if g, w, _ := l.begin(t0, []string{"user:new"}, "address:office"); g != nil || w != guessWindow {
		t.Fatalf("a new guess from the address: %v, wait %v, want refused for the window", g, w)
	}
	if g, w, _ := l.begin(t0, []string{"user:new"}, "address:home"); g == nil || w != 0 {
		t.Fatalf("the same user from another address refused: wait %v", w)
	}
}

func keysOf(l *guessLimiter) []string {
	var out []string
	for k, r := range l.keys {
		out = append(out, fmt.Sprintf("%s:%d", k, len(r.failures)))
	}
	return out
}
