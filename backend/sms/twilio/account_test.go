package twilio

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestCheckAccount: the account fetch with the real twilio-go client tells
// credentials Twilio refused (and only those) from a Twilio it could not
// ask, and keeps nothing of Twilio's answer but the status; no error shows
// the auth token.
func TestCheckAccount(t *testing.T) {
	f := newFakeTwilio(t)
	ctx := context.Background()
	acc, err := f.provider(t).CheckAccount(ctx)
	if err != nil || acc.SID != testSID || acc.Status != "active" {
		t.Fatalf("good credentials: %+v, %v", acc, err)
	}
	f.accountStatus = "suspended"
	if acc, err := f.provider(t).CheckAccount(ctx); err != nil || acc.Status != "suspended" {
		t.Fatalf("a suspended account: %+v, %v", acc, err)
	}

	wrong := "ffffffffffffffffffffffffffffffff"
	bad, err := New(Config{AccountSID: testSID, AuthToken: wrong, PublicURL: "https://x.org", APIURL: f.ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.CheckAccount(ctx)
	if !errors.Is(err, ErrCredentialsRefused) || !strings.Contains(err.Error(), "20003") || strings.Contains(err.Error(), wrong) {
		t.Fatalf("a wrong token: %v; want ErrCredentialsRefused with Twilio's code, without the token", err)
	}

	// Not Twilio's refusal: nothing listening, a 503, an answer too slow.
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 503, map[string]any{"code": 20503, "message": "Service Unavailable", "status": 503})
	}))
	defer down.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { time.Sleep(300 * time.Millisecond) }))
	defer slow.Close()
	const token = "5ecret5ecret5ecret5ecret5ecret55" // testToken is part of testSID
	for name, url := range map[string]string{"unreachable": gone.URL, "503": down.URL, "slow": slow.URL} {
		p, err := New(Config{AccountSID: testSID, AuthToken: token, PublicURL: "https://x.org", APIURL: url, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		_, err = p.CheckAccount(cctx)
		cancel()
		if err == nil || errors.Is(err, ErrCredentialsRefused) || strings.Contains(err.Error(), token) {
			t.Errorf("%s: %v; want an error that is not a refusal, without the token", name, err)
		}
	}
}
