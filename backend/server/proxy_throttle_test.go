package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
)

func signup(t *testing.T, h http.Handler, remote, email string) *httptest.ResponseRecorder {
	t.Helper()
	return rawRequest(t, h, "POST", "/api/v1/signup", remote, "", "",
		api.SignupRequest{Name: "Sam Signup", Email: email, Password: "correct horse battery"})
}

// TestSignUpsOfTakenEmailsThrottledPerAddress: "an account with this email
// already exists" tells who has an account, so an address gets 10 of those
// answers a quarter hour; then its sign-ups are refused (nothing stored)
// until the first ages out. Another address, and signing in from the same
// one, are not held back.
func TestSignUpsOfTakenEmailsThrottledPerAddress(t *testing.T) {
	f := newFixture(t)
	h := f.srv.Handler()
	const prober = "203.0.113.9:4000"
	_, known := f.user("known")
	if rec := signup(t, h, prober, "first@example.org"); rec.Code != http.StatusCreated {
		t.Fatalf("a new account: %d %s", rec.Code, rec.Body)
	}
	for i := range 10 {
		wantStatus(t, fmt.Sprintf("taken email %d", i+1), signup(t, h, prober, known.Email), http.StatusConflict, api.CodeEmailTaken)
		f.clock.Advance(time.Minute)
	}
	// 10 minutes on: the first taken answer ages out at 15.
	rec := signup(t, h, prober, "second@example.org")
	wantStatus(t, "the 11th sign-up from the address", rec, http.StatusTooManyRequests, api.CodeTooManyAttempts)
	if got := rec.Header().Get("Retry-After"); got != "300" {
		t.Fatalf("Retry-After %q, want 300", got)
	}
	var body api.ErrorBody
	mustJSON(t, rec.Body.Bytes(), &body)
	if want := "too many sign-ups with emails that already have accounts; try again in 5 minutes"; body.Error.Message != want {
		t.Fatalf("message %q, want %q", body.Error.Message, want)
	}
	if code, _, _ := login(f, "second@example.org", "correct horse battery"); code != http.StatusUnauthorized {
		t.Fatalf("the refused sign-up made an account: login answered %d", code)
	}
	wantStatus(t, "a taken email from the address, refused without an answer", signup(t, h, prober, known.Email), http.StatusTooManyRequests, api.CodeTooManyAttempts)
	wantStatus(t, "another address", signup(t, h, "198.51.100.20:4000", "third@example.org"), http.StatusCreated, "")
	rec = rawRequest(t, h, "POST", "/api/v1/login", prober, "", "", api.LoginRequest{Email: "first@example.org", Password: "correct horse battery"})
	wantStatus(t, "signing in from the address", rec, http.StatusOK, "")
	f.clock.Advance(5 * time.Minute)
	wantStatus(t, "after the first taken answer aged out", signup(t, h, prober, "second@example.org"), http.StatusCreated, "")
}

// TestTrustedProxyNamesTheClient: behind a trusted reverse proxy the join
// code throttle counts each client by the address the proxy saw, so one
// guesser does not hold back everyone behind the proxy; a client cannot
// walk around the throttle by writing X-Forwarded-For itself, whether the
// server trusts no proxy or a client prepends a made-up address.
func TestTrustedProxyNamesTheClient(t *testing.T) {
	const proxy = "192.0.2.10:35000"
	guess := func(t *testing.T, f *fixture, name, xff string, n int) (last *httptest.ResponseRecorder) {
		t.Helper()
		h := f.srv.Handler()
		for i := range n {
			c, _ := f.user(fmt.Sprintf("%s%d", name, i)) // a user of its own: only the address is shared
			last = rawRequest(t, h, "POST", "/api/v1/campaigns/join", proxy, xff, f.token(c), api.JoinRequest{Code: fmt.Sprintf("9%05d", i)})
			if i < n-1 && last.Code != http.StatusNotFound {
				t.Fatalf("%s guess %d: %d %s, want 404", name, i+1, last.Code, last.Body)
			}
		}
		return last
	}
	t.Run("trusted", func(t *testing.T) {
		f := newFixtureWith(t, fixtureOpts{proxies: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}})
		wantStatus(t, "the guesser's 11th", guess(t, f, "guesser", "198.51.100.1", 11), http.StatusTooManyRequests, api.CodeTooManyAttempts)
		wantStatus(t, "the guesser, naming a made-up address left of its own", guess(t, f, "liar", "10.9.9.9, 198.51.100.1", 1),
			http.StatusTooManyRequests, api.CodeTooManyAttempts)
		wantStatus(t, "another volunteer behind the proxy", guess(t, f, "volunteer", "198.51.100.2", 1), http.StatusNotFound, api.CodeCampaignUnknown)
	})
	t.Run("untrusted", func(t *testing.T) {
		f := newFixture(t)
		for i := range 10 {
			rec := guess(t, f, fmt.Sprintf("spoof%d-", i), fmt.Sprintf("198.51.100.%d", i+1), 1)
			wantStatus(t, "a guess", rec, http.StatusNotFound, api.CodeCampaignUnknown)
		}
		rec := guess(t, f, "spoof-last", "198.51.100.99", 1)
		wantStatus(t, "an 11th with yet another X-Forwarded-For", rec, http.StatusTooManyRequests, api.CodeTooManyAttempts)
		if !strings.Contains(rec.Body.String(), "Too many join codes tried") {
			t.Fatalf("body %s", rec.Body)
		}
	})
}

// TestAnUnnamedProxySaysSoOnce: requests forwarded by a proxy on a private
// or loopback address that --trusted-proxies does not name get one warning
// in the log, naming the flag; a direct client writing the header does not.
func TestAnUnnamedProxySaysSoOnce(t *testing.T) {
	logs := &logLines{}
	f := newFixtureWith(t, fixtureOpts{log: zerolog.New(logs)})
	h := f.srv.Handler()
	const warning = "name the proxy with --trusted-proxies"
	login := api.LoginRequest{Email: "nobody@example.org", Password: "wrong wrong wrong"}
	rawRequest(t, h, "POST", "/api/v1/login", "203.0.113.5:4000", "198.51.100.1", "", login)
	if logs.has(warning) {
		t.Fatal("a public client's own X-Forwarded-For was taken for a proxy's")
	}
	for range 3 {
		rawRequest(t, h, "POST", "/api/v1/login", "10.0.0.2:4000", "198.51.100.1", "", login)
	}
	n := strings.Count(logs.String(), warning)
	if n != 1 || !logs.has(`"peer":"10.0.0.2"`) {
		t.Fatalf("warned %d times, want once naming the peer:\n%s", n, logs.String())
	}

	// An office's own network behind a named proxy: its clients' private
	// addresses are no unnamed proxy.
	logs = &logLines{}
	f = newFixtureWith(t, fixtureOpts{log: zerolog.New(logs), proxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32")}})
	rawRequest(t, f.srv.Handler(), "POST", "/api/v1/login", "10.0.0.1:4000", "10.20.30.40", "", login)
	if logs.has(warning) {
		t.Fatalf("a private client behind the named proxy was taken for an unnamed proxy:\n%s", logs.String())
	}
}

// TestThrottledAnswersDoNotFloodTheLog: every throttled answer is a 429,
// but the log tells of at most 20 a minute.
func TestThrottledAnswersDoNotFloodTheLog(t *testing.T) {
	logs := &logLines{}
	f := newFixtureWith(t, fixtureOpts{log: zerolog.New(logs)})
	h := f.srv.Handler()
	login := api.LoginRequest{Email: "target@example.org", Password: "not the password"}
	refused := 0
	for range 50 {
		if rawRequest(t, h, "POST", "/api/v1/login", "203.0.113.99:4000", "", "", login).Code == http.StatusTooManyRequests {
			refused++
		}
	}
	n := strings.Count(logs.String(), "login throttled after repeated failures")
	if refused != 40 || n != 20 {
		t.Fatalf("%d refused, %d logged; want 40 refused and 20 logged", refused, n)
	}
}
