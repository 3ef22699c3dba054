package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
)

// TestIPv6NetworkThrottledAsTenAddresses: the guess throttles count an
// IPv6 client by its /64 and also by its /48, which gets ten addresses'
// worth. Before, by /64 alone, a /48 (a site's usual share, free from
// tunnel brokers) held 65,536 addresses: wrong join codes and failed
// sign-ins from one /64 after another never ran out. A /64 still gets its
// ten, another /48 is not held back, and IPv4 is as before.
func TestIPv6NetworkThrottledAsTenAddresses(t *testing.T) {
	// from is a host in the n-th /64 of 2001:db8:aa::/48 (or of another /48).
	from := func(net string, n int) string { return fmt.Sprintf("[2001:db8:%s:%x::7]:4000", net, n) }

	t.Run("join codes", func(t *testing.T) {
		f := newFixture(t)
		h := f.srv.Handler()
		users := 0
		guess := func(remote string) *httptest.ResponseRecorder {
			users++ // a user of its own each time: only addresses are shared
			c, _ := f.user(fmt.Sprintf("guesser%d", users))
			return rawRequest(t, h, "POST", "/api/v1/campaigns/join", remote, "", f.token(c), api.JoinRequest{Code: fmt.Sprintf("9%05d", users)})
		}
		for i := range 10 {
			wantStatus(t, fmt.Sprintf("wrong code %d from one /64", i+1), guess(from("aa", 0)), http.StatusNotFound, api.CodeCampaignUnknown)
		}
		wantStatus(t, "an 11th from the same /64, another host in it", guess("[2001:db8:aa:0::99]:4000"), http.StatusTooManyRequests, api.CodeTooManyAttempts)
		for n := 1; n < 10; n++ {
			for i := range 10 {
				wantStatus(t, fmt.Sprintf("wrong code %d from /64 number %d", i+1, n+1), guess(from("aa", n)), http.StatusNotFound, api.CodeCampaignUnknown)
			}
		}
		rec := guess(from("aa", 0xbeef))
		wantStatus(t, "a fresh /64 of the /48 after 100 wrong codes from it", rec, http.StatusTooManyRequests, api.CodeTooManyAttempts)
		if rec.Header().Get("Retry-After") == "" {
			t.Fatal("the /48's refusal has no Retry-After")
		}
		wantStatus(t, "another /48", guess(from("bb", 0)), http.StatusNotFound, api.CodeCampaignUnknown)
		wantStatus(t, "an IPv4 address", guess("198.51.100.7:4000"), http.StatusNotFound, api.CodeCampaignUnknown)
	})

	t.Run("new accounts", func(t *testing.T) {
		logs := &logLines{}
		f := newFixtureWith(t, fixtureOpts{signups: 3, log: zerolog.New(logs)})
		h := f.srv.Handler()
		n := 0
		newAccount := func(remote string) *httptest.ResponseRecorder {
			n++
			return signup(t, h, remote, fmt.Sprintf("new%d@example.org", n))
		}
		for net := range 10 {
			for i := range 3 {
				wantStatus(t, fmt.Sprintf("account %d from /64 number %d", i+1, net+1), newAccount(from("aa", net)), http.StatusCreated, "")
			}
		}
		wantStatus(t, "a 4th account from a /64", newAccount(from("aa", 0)), http.StatusTooManyRequests, api.CodeTooManyAttempts)
		// The log names the limit that tripped: the address's 3, then the
		// /48's 30 (it said the address's limit for both).
		if !logs.has(`"max":3,"message":"sign-up throttled: too many accounts created from this address within the hour"`) {
			t.Fatalf("the /64's refusal is not logged with its limit: %s", logs.String())
		}
		wantStatus(t, "a 31st account from a fresh /64 of the /48 within the hour", newAccount(from("aa", 0xbeef)), http.StatusTooManyRequests, api.CodeTooManyAttempts)
		if !logs.has(`"max":30,"message":"sign-up throttled: too many accounts created from this address's IPv6 /48 within the hour"`) {
			t.Fatalf("the /48's refusal is not logged with its limit: %s", logs.String())
		}
		wantStatus(t, "one from another /48", newAccount(from("bb", 0)), http.StatusCreated, "")
	})

	t.Run("sign-ins", func(t *testing.T) {
		f := newFixture(t)
		h := f.srv.Handler()
		_, vera := f.user("vera")
		n := 0
		wrong := func(remote string) *httptest.ResponseRecorder {
			n++ // an account of its own each time: only addresses are shared
			return rawRequest(t, h, "POST", "/api/v1/login", remote, "", "", api.LoginRequest{Email: fmt.Sprintf("nobody%d@example.org", n), Password: "not the password"})
		}
		for net := range 10 {
			for i := range 10 {
				wantStatus(t, fmt.Sprintf("wrong sign-in %d from /64 number %d", i+1, net+1), wrong(from("aa", net)), http.StatusUnauthorized, api.CodeBadCredentials)
			}
		}
		rec := rawRequest(t, h, "POST", "/api/v1/login", from("aa", 0xbeef), "", "", api.LoginRequest{Email: vera.Email, Password: "correct horse battery"})
		wantStatus(t, "a right password from a fresh /64 of the /48", rec, http.StatusTooManyRequests, api.CodeTooManyAttempts)
		rec = rawRequest(t, h, "POST", "/api/v1/login", from("bb", 0), "", "", api.LoginRequest{Email: vera.Email, Password: "correct horse battery"})
		wantStatus(t, "the same from another /48", rec, http.StatusOK, "")
	})
}
