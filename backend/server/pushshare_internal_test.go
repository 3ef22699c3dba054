package server

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

// TestPushesAnnouncedInBatches: a batch names only the users who pushed at
// least a tenth of a second's rate here since their last note, each once,
// and starts their count again; the others' counts keep growing.
func TestPushesAnnouncedInBatches(t *testing.T) {
	l := newPushLimiter(pushRate, pushBurst)
	t0 := time.Now()
	least := pushRate / pushShareFraction
	for range least {
		l.take("busy", t0)
	}
	for range least - 1 {
		l.take("calm", t0)
	}
	users, spent := l.unannounced()
	if !slices.Equal(users, []string{"busy"}) || !slices.Equal(spent, []int{least}) {
		t.Fatalf("first batch %v %v, want busy's %d pushes only", users, spent, least)
	}
	l.take("calm", t0)
	users, spent = l.unannounced()
	if !slices.Equal(users, []string{"calm"}) || !slices.Equal(spent, []int{least}) {
		t.Fatalf("second batch %v %v, want calm's %d pushes only (busy's were announced)", users, spent, least)
	}
	if users, _ := l.unannounced(); len(users) != 0 {
		t.Fatalf("a third batch with nothing pushed since names %v", users)
	}
}

// TestPushesHeardSpendTheBucket: pushes another server announced spend the
// user's bucket here, down to a burst's debt, which the user then waits
// out at the rate; a server's own note, and a note whose counts do not
// match its users, spend nothing.
func TestPushesHeardSpendTheBucket(t *testing.T) {
	s := &Server{id: "me", now: time.Now, logins: newGuessLimiter(), codes: newGuessLimiter(),
		accounts: newSignupLimiter(0), pushes: newPushLimiter(10, 5)}
	note := func(from string, keys []string, spent ...int) string {
		raw, _ := json.Marshal(guessNote{From: from, Limiter: pushNoteLimiter, Keys: keys, Spent: spent, At: time.Now().UnixMicro()})
		return string(raw)
	}
	s.guessHeard(note("me", []string{"u1"}, 5))
	s.guessHeard(note("other", []string{"u1", "u2"}, 5))
	s.guessHeard(note("other", []string{"u1"}, 0))
	if len(s.pushes.buckets) != 0 {
		t.Fatalf("a server's own note, or a malformed one, spent tokens: %v", s.pushes.buckets)
	}
	s.guessHeard(note("other", []string{"u1"}, 4))
	now := time.Now()
	if ok, _ := s.pushes.take("u1", now); !ok {
		t.Fatal("refused with one token of five left")
	}
	if ok, _ := s.pushes.take("u1", now); ok {
		t.Fatal("let through after another server spent four tokens and this one the fifth")
	}
	before := time.Now()
	s.guessHeard(note("other", []string{"u1"}, 1_000_000))
	// The bucket refills from when the note was heard: under load, by the
	// time the test asks, the wait is less by what has passed.
	now = time.Now()
	ok, wait := s.pushes.take("u1", now)
	if ok || wait < 500*time.Millisecond-now.Sub(before) || wait > 600*time.Millisecond {
		t.Fatalf("after a million pushes elsewhere: %v, wait %v; want a burst's debt, about 0.6 s at 10 a second", ok, wait)
	}
}
