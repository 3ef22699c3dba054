package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// TestServeRefusesPlainHTTPPublicURL: `serve --provider twilio` with an
// http --public-url once started without a word, and every webhook was
// then refused (Twilio signs the https URL it called). It is refused,
// naming the flag and what to give; a loopback http URL with a stand-in
// API (tests, the load driver) starts, with a warning.
func TestServeRefusesPlainHTTPPublicURL(t *testing.T) {
	const sid, token = "AC0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	args := func(public string, more ...string) []string {
		return append([]string{"--provider", "twilio", "--twilio-account-sid", sid, "--twilio-auth-token-file", tokenFile,
			"--public-url", public}, more...)
	}
	for _, public := range []string{"http://texts.example.org", "http://127.0.0.1:8787"} {
		_, err := parseServe(args(public), envOf(nil), io.Discard)
		want := "--public-url " + public + " (TEXTBANK_PUBLIC_URL) must be https with --provider twilio"
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "e.g. https://texts.example.org") {
			t.Errorf("%s: err = %v, want one naming %q and an https example", public, err, want)
		} else if strings.Contains(err.Error(), token) {
			t.Errorf("the error shows the auth token: %v", err)
		}
	}
	// From the environment, as a unit file sets it.
	if _, err := parseServe(args("https://texts.example.org")[:6], envOf(map[string]string{"TEXTBANK_PUBLIC_URL": "http://texts.example.org"}), io.Discard); err == nil ||
		!strings.Contains(err.Error(), "TEXTBANK_PUBLIC_URL") {
		t.Errorf("TEXTBANK_PUBLIC_URL=http://...: err = %v", err)
	}

	public, api := "http://127.0.0.1:8787", "http://127.0.0.1:9"
	cfg, err := parseServe(args(public, "--twilio-api-url", api), envOf(nil), io.Discard)
	if err != nil {
		t.Fatalf("loopback http with a stand-in API refused: %v", err)
	}
	var logs bytes.Buffer
	p, err := newPhones(cfg.texts, t.TempDir(), zerolog.New(&logs))
	if err != nil {
		t.Fatal(err)
	}
	p.close()
	if out := logs.String(); !strings.Contains(out, `"level":"warn"`) || !strings.Contains(out, "plain http on a loopback address") ||
		!strings.Contains(out, public) || strings.Contains(out, token) {
		t.Errorf("no warning of the plain http public URL (or it shows the token): %s", out)
	}
	// An https public URL warns of nothing.
	cfg.texts.publicURL = "https://texts.example.org"
	logs.Reset()
	p, err = newPhones(cfg.texts, t.TempDir(), zerolog.New(&logs))
	if err != nil {
		t.Fatal(err)
	}
	p.close()
	if strings.Contains(logs.String(), "plain http") {
		t.Errorf("warned of an https public URL: %s", logs.String())
	}
}
