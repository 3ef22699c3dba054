package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

func signupFrom(t *testing.T, f *fixture, h http.Handler, addr, email, password string) *httptest.ResponseRecorder {
	t.Helper()
	return rawRequest(t, h, "POST", "/api/v1/signup", addr, "", "",
		api.SignupRequest{Name: "New Volunteer", Email: email, Password: password})
}

// TestSignUpsCreateFewAccountsPerAddress: one client address creates at
// most the server's limit of accounts within an hour; the next sign-up is
// answered 429 in words, with Retry-After, and creates nothing. Other
// addresses, signing in, and sign-ups that create no account are not held
// back; an hour later the address may create accounts again.
func TestSignUpsCreateFewAccountsPerAddress(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{signups: 3})
	h := f.srv.Handler()
	const pw = "correct horse battery"
	const spammer = "198.51.100.7:4000"
	for i := range 3 {
		if rec := signupFrom(t, f, h, spammer, fmt.Sprintf("made%d@example.org", i), pw); rec.Code != http.StatusCreated {
			t.Fatalf("sign-up %d: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	rec := signupFrom(t, f, h, spammer, "one-too-many@example.org", pw)
	var eb api.ErrorBody
	mustJSON(t, rec.Body.Bytes(), &eb)
	if rec.Code != http.StatusTooManyRequests || eb.Error.Code != api.CodeTooManyAttempts ||
		!strings.Contains(eb.Error.Message, "too many new accounts were made from your network in the last hour; try again in") {
		t.Fatalf("fourth sign-up from one address: %d %+v, want 429 too_many_attempts in words", rec.Code, eb.Error)
	}
	if secs, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || secs <= 0 || secs > 3600 {
		t.Fatalf("Retry-After %q, want seconds up to an hour", rec.Header().Get("Retry-After"))
	}
	f.view(func(tx store.Tx) error {
		if _, err := tx.UserByEmail(context.Background(), "one-too-many@example.org"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the refused sign-up made an account (%v)", err)
		}
		return nil
	})
	// Signing in from that address, and signing up from another, go on.
	if rec := rawRequest(t, h, "POST", "/api/v1/login", spammer, "", "", api.LoginRequest{Email: "made0@example.org", Password: pw}); rec.Code != http.StatusOK {
		t.Fatalf("login from the throttled address: %d %s", rec.Code, rec.Body)
	}
	if rec := signupFrom(t, f, h, "203.0.113.9:5000", "elsewhere@example.org", pw); rec.Code != http.StatusCreated {
		t.Fatalf("sign-up from another address: %d %s", rec.Code, rec.Body)
	}
	// Refused sign-ups (a bad password, a taken email) spend nothing.
	const office = "192.0.2.44:6000"
	if rec := signupFrom(t, f, h, office, "weak@example.org", "short"); rec.Code != http.StatusBadRequest {
		t.Fatalf("weak password: %d", rec.Code)
	}
	if rec := signupFrom(t, f, h, office, "made0@example.org", pw); rec.Code != http.StatusConflict {
		t.Fatalf("taken email: %d", rec.Code)
	}
	for i := range 3 {
		if rec := signupFrom(t, f, h, office, fmt.Sprintf("office%d@example.org", i), pw); rec.Code != http.StatusCreated {
			t.Fatalf("office sign-up %d after two refused ones: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	// An hour after the first, the address creates accounts again.
	f.clock.Advance(time.Hour)
	if rec := signupFrom(t, f, h, spammer, "an-hour-later@example.org", pw); rec.Code != http.StatusCreated {
		t.Fatalf("an hour later: %d %s", rec.Code, rec.Body)
	}
}

// TestSignUpsAtOnceCannotOvershoot: sign-ups sent all at once from one
// address are counted as they are let through, so no more than the limit
// make accounts.
func TestSignUpsAtOnceCannotOvershoot(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{signups: 3})
	h := f.srv.Handler()
	const n = 12
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			codes[i] = signupFrom(t, f, h, "198.51.100.8:1", fmt.Sprintf("rush%d@example.org", i), "correct horse battery").Code
		})
	}
	wg.Wait()
	made := 0
	for _, c := range codes {
		switch c {
		case http.StatusCreated:
			made++
		case http.StatusTooManyRequests:
		default:
			t.Fatalf("a sign-up answered %d", c)
		}
	}
	if made != 3 {
		t.Fatalf("%d accounts made by %d sign-ups at once, want 3", made, n)
	}
}

// TestSignUpLimitDefault: without a setting, an address makes
// server.DefaultSignupsPerHour accounts an hour.
func TestSignUpLimitDefault(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{signups: -1})
	h := f.srv.Handler()
	for i := range server.DefaultSignupsPerHour + 1 {
		rec := signupFrom(t, f, h, "198.51.100.9:1", fmt.Sprintf("d%d@example.org", i), "correct horse battery")
		want := http.StatusCreated
		if i == server.DefaultSignupsPerHour {
			want = http.StatusTooManyRequests
		}
		if rec.Code != want {
			t.Fatalf("sign-up %d: %d, want %d", i+1, rec.Code, want)
		}
	}
}

// TestTwoServersShareSignUpCounts: on one PostgreSQL, the accounts an
// address creates on server A count on server B too (NOTIFY), so the
// address creates the limit across both, not the limit on each: 30
// sign-ups spread over the two, then the next is refused on either, in
// the usual words. Another address is not held back.
func TestTwoServersShareSignUpCounts(t *testing.T) {
	pgtest.Require(t)
	f := newFixtureWith(t, fixtureOpts{signups: -1}) // the default, as server B's
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	go f.srv.WatchFeed(ctx, 20*time.Millisecond)
	srvB, _ := f.second()
	waitTokensLive(ctx, t, srvB)
	waitTokensLive(ctx, t, f.srv)
	const pw = "correct horse battery"
	const from, addr = "198.51.100.30:4000", "198.51.100.30"
	hA, hB := f.srv.Handler(), srvB.Handler()
	waitCreated := func(srv *server.Server, n int, msg string) {
		t.Helper()
		for srv.AccountsCreated(addr) < n {
			if ctx.Err() != nil {
				t.Fatalf("%s (%d of %d)", msg, srv.AccountsCreated(addr), n)
			}
			time.Sleep(time.Millisecond)
		}
	}
	half := server.DefaultSignupsPerHour / 2
	for i := range server.DefaultSignupsPerHour {
		h := hA
		if i >= half {
			h = hB
		}
		if rec := signupFrom(t, f, h, from, fmt.Sprintf("shared%d@example.org", i), pw); rec.Code != http.StatusCreated {
			t.Fatalf("sign-up %d: %d %s", i+1, rec.Code, rec.Body)
		}
		if i == half-1 {
			waitCreated(srvB, half, "server B never heard of the accounts made on A")
		}
	}
	waitCreated(f.srv, server.DefaultSignupsPerHour, "server A never heard of the accounts made on B")
	time.Sleep(100 * time.Millisecond) // any echo of its own would have arrived
	if n := f.srv.AccountsCreated(addr); n != server.DefaultSignupsPerHour {
		t.Fatalf("server A counts %d accounts, want %d: its own announcements counted twice", n, server.DefaultSignupsPerHour)
	}
	for name, h := range map[string]http.Handler{"A": hA, "B": hB} {
		rec := signupFrom(t, f, h, from, "one-more-on-"+name+"@example.org", pw)
		var eb api.ErrorBody
		mustJSON(t, rec.Body.Bytes(), &eb)
		if rec.Code != http.StatusTooManyRequests || eb.Error.Code != api.CodeTooManyAttempts ||
			!strings.Contains(eb.Error.Message, "too many new accounts were made from your network in the last hour; try again in") {
			t.Fatalf("sign-up %d, on %s: %d %+v, want 429 too_many_attempts in words", server.DefaultSignupsPerHour+1, name, rec.Code, eb.Error)
		}
	}
	if rec := signupFrom(t, f, hB, "203.0.113.30:1", "elsewhere@example.org", pw); rec.Code != http.StatusCreated {
		t.Fatalf("sign-up from another address on B: %d %s", rec.Code, rec.Body)
	}
}
