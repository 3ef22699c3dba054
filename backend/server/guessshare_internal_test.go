package server

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// FuzzGuessHeard: whatever arrives on the channel (anyone with the
// database can NOTIFY), a note is counted only when it is well formed, from
// another server, within bounds and within the window; a batch of pushes
// spends no more than a burst's debt of each bucket; nothing panics.
func FuzzGuessHeard(f *testing.F) {
	now := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	good, _ := json.Marshal(guessNote{From: "other", Limiter: "logins", Keys: []string{"account:a@b.org", "address:1.2.3.4"}, At: now.UnixMicro()})
	f.Add(string(good))
	f.Add(`{"from":"me","limiter":"codes","keys":["user:1"],"at":0}`)
	f.Add(`{"from":"other","limiter":"nope","keys":["k"],"at":1}`)
	f.Add(`{"from":"other","limiter":"accounts","keys":["created:1.2.3.4"],"at":` + fmt.Sprint(now.Add(-30*time.Minute).UnixMicro()) + `}`)
	f.Add(`not json`)
	f.Add(`{"from":"r","limiter":"logins","keys":["",""],"at":2796173200000000}`) // found by CI's fuzzing
	f.Add(`{"from":"r","limiter":"codes","keys":["user:1","user:1"],"at":0}`)
	f.Add(`{"from":"other","limiter":"codes","keys":["user:1"],"spent":[3],"at":` + fmt.Sprint(now.UnixMicro()) + `}`)
	f.Add(`{"from":"other","limiter":"pushes","keys":["u1","u2"],"spent":[30,1],"at":` + fmt.Sprint(time.Now().UnixMicro()) + `}`)
	f.Add(`{"from":"other","limiter":"pushes","keys":["u1"],"spent":[999999999],"at":4102444800000000}`)
	f.Add(`{"from":"other","limiter":"pushes","keys":["u1","u2"],"spent":[3],"at":4102444800000000}`)
	f.Add(`{"from":"other","limiter":"pushes","keys":["u1"],"spent":[-5],"at":4102444800000000}`)
	f.Add(`{"from":"me","limiter":"pushes","keys":["u1"],"spent":[5],"at":4102444800000000}`)
	f.Fuzz(func(t *testing.T, payload string) {
		s := &Server{id: "me", now: func() time.Time { return now }, logins: newGuessLimiter(), codes: newGuessLimiter(),
			accounts: newSignupLimiter(0), pushes: newPushLimiter(pushRate, pushBurst)}
		s.guessHeard(payload)
		var n guessNote
		counted := len(s.logins.keys) + len(s.codes.keys) + len(s.accounts.keys) + len(s.pushes.buckets)
		if json.Unmarshal([]byte(payload), &n) != nil || n.From == "me" || n.From == "" {
			if counted != 0 {
				t.Fatalf("%q was counted", payload)
			}
			return
		}
		if n.Limiter != pushNoteLimiter && len(n.Spent) > 0 && counted != 0 {
			t.Fatalf("%q, counts of pushes in a note of failures, was counted", payload)
		}
		if counted > pushNoteKeys || counted > guessNoteKeys && len(s.pushes.buckets) == 0 {
			t.Fatalf("%q made %d keys", payload, counted)
		}
		for _, l := range s.limiters() {
			for k, r := range l.keys {
				if k == "" || len(k) > guessNoteKeyLen || len(r.failures) != 1 || r.failures[0].After(now) || now.Sub(r.failures[0]) >= l.window {
					t.Fatalf("%q counted %q at %v", payload, k, r.failures)
				}
			}
		}
		for k, b := range s.pushes.buckets {
			if n.Limiter != pushNoteLimiter || k == "" || len(k) > guessNoteKeyLen || b.tokens < -pushBurst || b.tokens > pushBurst-1 || b.spent != 0 {
				t.Fatalf("%q left %q's bucket %+v", payload, k, b)
			}
		}
	})
}

func TestGuessHeardCountsAnotherServersFailure(t *testing.T) {
	now := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	s := &Server{id: "me", now: func() time.Time { return now }, logins: newGuessLimiter(), codes: newGuessLimiter(),
		accounts: newSignupLimiter(0), pushes: newPushLimiter(pushRate, pushBurst)}
	note := func(from, limiter string, at time.Time) string {
		raw, _ := json.Marshal(guessNote{From: from, Limiter: limiter, Keys: []string{"user:u1", "address:9.9.9.9"}, At: at.UnixMicro()})
		return string(raw)
	}
	s.guessHeard(note("me", "codes", now))                      // its own: counted when it failed
	s.guessHeard(note("other", "codes", now.Add(-guessWindow))) // aged out
	s.guessHeard(note("other", "codes", now.Add(-time.Minute))) // counted
	s.guessHeard(note("other", "codes", now.Add(time.Hour)))    // a clock ahead: counted as now
	if r := s.codes.keys["user:u1"]; r == nil || len(r.failures) != 2 || !r.failures[1].Equal(now) {
		t.Fatalf("codes: %+v", r)
	}
	if len(s.logins.keys) != 0 || len(s.accounts.keys) != 0 {
		t.Fatal("a join code failure counted against sign-ins or sign-ups")
	}
	// A forged note naming a key twice, or an empty key, counts nothing:
	// one failure would otherwise count twice.
	s.guessHeard(`{"from":"other","limiter":"logins","keys":["user:u2","user:u2"],"at":` + fmt.Sprint(now.UnixMicro()) + `}`)
	s.guessHeard(`{"from":"other","limiter":"logins","keys":["","address:9.9.9.9"],"at":` + fmt.Sprint(now.UnixMicro()) + `}`)
	if len(s.logins.keys) != 0 {
		t.Fatalf("a forged note counted: %v", s.logins.keys)
	}
	// An account another server made counts for the sign-up limit's hour,
	// not the guesses' quarter hour.
	s.guessHeard(note("other", "accounts", now.Add(-30*time.Minute)))
	s.guessHeard(note("other", "accounts", now.Add(-signupWindow)))
	if r := s.accounts.keys["user:u1"]; r == nil || len(r.failures) != 1 {
		t.Fatalf("accounts: %+v", r)
	}
}
