package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/testlog"
)

// TestServeTwilioFlagMistakes: each mistake an operator following
// docs/OPERATIONS.md can make with the Twilio settings is refused at start,
// naming the setting (and the value, where it is no secret).
func TestServeTwilioFlagMistakes(t *testing.T) {
	dir := t.TempDir()
	const sid, token = "AC0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"
	empty := filepath.Join(dir, "empty-token")
	good := filepath.Join(dir, "token")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"--provider", "twilio", "--public-url", "https://texts.example.org"}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"empty token file", []string{"--twilio-account-sid", sid, "--twilio-auth-token-file", empty}, nil,
			"--twilio-auth-token-file " + empty + " is empty"},
		// The token in the environment (left from an older unit file) and
		// a token file on the command line: both are named.
		{"token twice", []string{"--twilio-account-sid", sid, "--twilio-auth-token-file", good},
			map[string]string{"TEXTBANK_TWILIO_AUTH_TOKEN": token}, "TEXTBANK_TWILIO_AUTH_TOKEN"},
		// The placeholder OPERATIONS.md's example once showed.
		{"placeholder sid", []string{"--twilio-account-sid", "AC" + strings.Repeat("x", 32), "--twilio-auth-token-file", good}, nil,
			"32 hexadecimal digits"},
		{"public url with a query", []string{"--twilio-account-sid", sid, "--twilio-auth-token-file", good, "--public-url", "https://texts.example.org/?x=1"}, nil,
			`public URL "https://texts.example.org/?x=1" must have no query`},
		// The catch-up's interval: Twilio asked many times a second, a
		// wait past the day a start reaches back, a negative one.
		{"catch-up too often", []string{"--twilio-account-sid", sid, "--twilio-auth-token-file", good, "--inbound-catchup", "50ms"}, nil,
			"--inbound-catchup 50ms: want 100ms to 24h, or 0"},
		{"catch-up past a day", []string{"--twilio-account-sid", sid, "--twilio-auth-token-file", good, "--inbound-catchup", "25h"}, nil,
			"--inbound-catchup 25h0m0s: want 100ms to 24h, or 0"},
		{"catch-up negative", []string{"--twilio-account-sid", sid, "--twilio-auth-token-file", good, "--inbound-catchup", "-5m"}, nil,
			"--inbound-catchup -5m0s: want 100ms to 24h"},
		{"catch-up without a unit", []string{"--twilio-account-sid", sid, "--twilio-auth-token-file", good},
			map[string]string{"TEXTBANK_INBOUND_CATCHUP": "5"}, `TEXTBANK_INBOUND_CATCHUP="5": want a duration such as 40s or 2m`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseServe(append(append([]string{}, base...), tc.args...), envOf(tc.env), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want one naming %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), token) {
				t.Fatalf("the error shows the auth token: %v", err)
			}
		})
	}
	good2 := append(base, "--twilio-account-sid", sid, "--twilio-auth-token-file", good)
	if cfg, err := parseServe(good2, envOf(nil), io.Discard); err != nil || cfg.texts.catchUpEvery != 5*time.Minute {
		t.Fatalf("a good configuration: catch-up every %v, %v; want every 5m", cfg.texts.catchUpEvery, err)
	}
	if cfg, err := parseServe(append(good2, "--inbound-catchup", "0"), envOf(nil), io.Discard); err != nil || cfg.texts.catchUpEvery != 0 {
		t.Fatalf("--inbound-catchup 0: every %v, %v; want 0 (at a start only)", cfg.texts.catchUpEvery, err)
	}
}

// TestServingLineNamesVersionAndPublicURL: the line a start logs says
// which build runs (an operator checks it after rolling out an upgrade)
// and the public URL webhook signatures are checked against (the first
// suspect when Twilio's requests are refused).
func TestServingLineNamesVersionAndPublicURL(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("0123456789abcdef0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &testlog.Buffer{}
	done := make(chan int, 1)
	// The account check at start asks a stand-in, never the real Twilio.
	api := twilioAccountStandIn(t, "AC0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef")
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--provider", "twilio",
			"--twilio-account-sid", "AC0123456789abcdef0123456789abcdef", "--twilio-auth-token-file", tokenFile,
			"--public-url", "https://texts.example.org", "--twilio-api-url", api}, io.Discard, logs, envOf(nil))
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logs.String(), "textbankd serving") {
		if time.Now().After(deadline) {
			t.Fatalf("never served; log: %s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	for _, want := range []string{`"version":"` + version + `"`, `"public_url":"https://texts.example.org"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the serving line lacks %s: %s", want, logs.String())
		}
	}
}

// TestLooseTokenFileIsWarnedOf: a token file other users may read gets a
// warning naming it and its mode (never the token); a 0600 one none.
func TestLooseTokenFileIsWarnedOf(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no mode bits")
	}
	dir := t.TempDir()
	const sid, token = "AC0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"
	for _, tc := range []struct {
		mode os.FileMode
		warn bool
	}{{0o600, false}, {0o640, true}, {0o644, true}} {
		path := filepath.Join(dir, fmt.Sprintf("token-%o", tc.mode))
		if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, tc.mode); err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		p, err := newPhones(textsConfig{provider: "twilio", sid: sid, token: token, tokenFile: path,
			publicURL: "https://texts.example.org", workers: 8}, dir, zerolog.New(&logs))
		if err != nil {
			t.Fatal(err)
		}
		p.close()
		out := logs.String()
		warned := strings.Contains(out, "readable by other users") && strings.Contains(out, path) &&
			strings.Contains(out, fmt.Sprintf("%04o", tc.mode))
		if warned != tc.warn || strings.Contains(out, token) {
			t.Errorf("mode %04o: warned %v, want %v; log %s", tc.mode, warned, tc.warn, out)
		}
	}
}
