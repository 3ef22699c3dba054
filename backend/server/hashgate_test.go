package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// TestBusyPasswordHashingSaysSo: when every turn to hash a password is
// taken for longer than a request may wait (a flood of sign-ups), sign-up
// and sign-in answer 503 server_busy with Retry-After, in words, store
// nothing and count no guess; once turns are free both work.
func TestBusyPasswordHashingSaysSo(t *testing.T) {
	f := newFixture(t)
	h := f.srv.Handler()
	const from = "203.0.113.40:5000"
	release := f.srv.HoldHashTurns(50 * time.Millisecond)
	rec := signup(t, h, from, "busy@example.org")
	wantStatus(t, "sign-up while hashing is busy", rec, http.StatusServiceUnavailable, api.CodeServerBusy)
	if rec.Header().Get("Retry-After") != "5" || !strings.Contains(rec.Body.String(), "busy signing many people in; try again in a few seconds") {
		t.Fatalf("busy answer: %v %s", rec.Header(), rec.Body)
	}
	for range 12 { // more than the throttle allows: none of them is a guess
		rec = rawRequest(t, h, "POST", "/api/v1/login", from, "", "", api.LoginRequest{Email: "busy@example.org", Password: "correct horse battery"})
		wantStatus(t, "sign-in while hashing is busy", rec, http.StatusServiceUnavailable, api.CodeServerBusy)
	}
	release()
	wantStatus(t, "the login after: no account was made", rawRequest(t, h, "POST", "/api/v1/login", from, "", "",
		api.LoginRequest{Email: "busy@example.org", Password: "correct horse battery"}), http.StatusUnauthorized, api.CodeBadCredentials)
	wantStatus(t, "sign-up with turns free", signup(t, h, from, "busy@example.org"), http.StatusCreated, "")
	wantStatus(t, "sign-in with turns free", rawRequest(t, h, "POST", "/api/v1/login", from, "", "",
		api.LoginRequest{Email: "busy@example.org", Password: "correct horse battery"}), http.StatusOK, "")
}
