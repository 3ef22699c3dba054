package twilio

import (
	"strings"
	"testing"
)

// TestPublicURLPlainHTTP: behind the reverse proxy Twilio signs the https
// URL it called, so an http public URL made every webhook a 403; it is
// refused, except on a loopback address with a local stand-in of the API
// (the load driver's), which signs for whatever URL it is given.
func TestPublicURLPlainHTTP(t *testing.T) {
	const standIn = "http://127.0.0.1:9"
	tests := []struct {
		public, api string
		ok          bool
	}{
		{"http://texts.example.org", "", false},
		{"http://texts.example.org", standIn, false}, // not loopback: a real host
		{"http://127.0.0.1:8787", "", false},         // Twilio's own API: it reaches no loopback address
		{"http://127.0.0.1:8787", DefaultAPIURL + "/", false},
		{"http://127.0.0.1.example.org", standIn, false},
		{"HTTP://texts.example.org", standIn, false},
		{"http://127.0.0.1:8787", standIn, true},
		{"http://127.0.0.2", standIn, true},
		{"http://localhost:8787", standIn, true},
		{"http://[::1]:8787", standIn, true},
		{"https://texts.example.org", "", true},
	}
	for _, tt := range tests {
		cfg := Config{AccountSID: testSID, AuthToken: testToken, PublicURL: tt.public, APIURL: tt.api}
		_, err := New(cfg)
		if tt.ok {
			if err != nil {
				t.Errorf("%s with API %q: refused: %v", tt.public, tt.api, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s with API %q: accepted", tt.public, tt.api)
			continue
		}
		for _, want := range []string{`public URL "` + tt.public + `" must be https`, "403", "https://texts.example.org"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s with API %q: %q lacks %q", tt.public, tt.api, err, want)
			}
		}
	}
}
