package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/testlog"
)

// twilioAccountStandIn answers Fetch Account for sid as Twilio documents
// it: the account (with its auth token, as Twilio sends it) to sid and
// token, 401 and 20003 to anything else. Enough for serve's start check;
// backend/loadtest's stand-in is the whole API.
func twilioAccountStandIn(t *testing.T, sid, token string) string {
	t.Helper()
	ts := httptest.NewServer(twilioAccount(sid, token))
	t.Cleanup(ts.Close)
	return ts.URL
}

// twilioAccount is the stand-in's Fetch Account handler.
func twilioAccount(sid, token string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if u, p, ok := r.BasicAuth(); !ok || u != sid || p != token {
			w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
			w.WriteHeader(401)
			_ = json.NewEncoder(w).Encode(map[string]any{"code": 20003, "message": "Authenticate", "status": 401,
				"more_info": "https://www.twilio.com/docs/errors/20003"})
			return
		}
		if r.Method != http.MethodGet || r.URL.Path != "/2010-04-01/Accounts/"+sid+".json" {
			w.WriteHeader(404)
			_ = json.NewEncoder(w).Encode(map[string]any{"code": 20404, "message": "not found", "status": 404})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"sid": sid, "owner_account_sid": sid, "auth_token": token,
			"status": "active", "type": "Full", "friendly_name": "Textbank tests"})
	}
}

// TestServeChecksTwilioCredentials: serve --provider twilio fetches its
// account once at start. Twilio's refusal of the SID and token stops the
// start, naming what to fix; a Twilio that cannot be reached is a warning
// and the server serves (a server must start while the network is down).
// The token is never in the log.
func TestServeChecksTwilioCredentials(t *testing.T) {
	const sid, token = "AC0123456789abcdef0123456789abcdef", "5ecret5ecret5ecret5ecret5ecret55"
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	tests := []struct {
		name    string
		apiURL  string
		serves  bool
		wantLog []string
	}{
		{"accepted", twilioAccountStandIn(t, sid, token), true, []string{"Twilio accepted the account SID and auth token"}},
		{"refused", twilioAccountStandIn(t, sid, "another0token0another0token0abcd"), false,
			[]string{"do not go together", "--twilio-account-sid", sid, "TEXTBANK_TWILIO_AUTH_TOKEN", "20003", "Twilio Console"}},
		{"unreachable", gone.URL, true, []string{"could not check the Twilio account SID and auth token at start; serving anyway"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			logs := &testlog.Buffer{}
			done := make(chan int, 1)
			go func() {
				done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "data"),
					"--provider", "twilio", "--twilio-account-sid", sid, "--public-url", "https://texts.example.org",
					"--twilio-api-url", tc.apiURL}, io.Discard, logs, envOf(map[string]string{"TEXTBANK_TWILIO_AUTH_TOKEN": token}))
			}()
			deadline := time.After(20 * time.Second)
			for served := false; !served; {
				select {
				case code := <-done:
					if tc.serves {
						t.Fatalf("serve stopped (exit %d); want it serving. Log: %s", code, logs.String())
					}
					if code != exitRefused {
						t.Fatalf("serve refused to start with exit %d, want %d", code, exitRefused)
					}
					served = true
				case <-deadline:
					t.Fatalf("neither served nor stopped; log: %s", logs.String())
				case <-time.After(10 * time.Millisecond):
					if strings.Contains(logs.String(), "textbankd serving") {
						if !tc.serves {
							t.Fatalf("served with credentials Twilio refused; log: %s", logs.String())
						}
						cancel()
						<-done
						served = true
					}
				}
			}
			out := logs.String()
			for _, want := range tc.wantLog {
				if !strings.Contains(out, want) {
					t.Errorf("the log lacks %q: %s", want, out)
				}
			}
			if strings.Contains(out, token) {
				t.Errorf("the log shows the auth token: %s", out)
			}
		})
	}
}
