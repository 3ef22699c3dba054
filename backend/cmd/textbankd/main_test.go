package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseServe(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		addr    string
		data    string
		demo    bool
		level   zerolog.Level
		wantErr string
	}{
		{"defaults", nil, nil, "127.0.0.1:8787", "textbank-data", false, zerolog.InfoLevel, ""},
		{"env", nil, map[string]string{"TEXTBANK_ADDR": ":9000", "TEXTBANK_DATA": "/tmp/x", "TEXTBANK_DEMO": "true", "TEXTBANK_LOG_LEVEL": "debug"},
			":9000", "/tmp/x", true, zerolog.DebugLevel, ""},
		{"flags win over env", []string{"--addr", ":1", "--demo=false", "--log-level", "warn"},
			map[string]string{"TEXTBANK_ADDR": ":9000", "TEXTBANK_DEMO": "1", "TEXTBANK_LOG_LEVEL": "debug"}, ":1", "textbank-data", false, zerolog.WarnLevel, ""},
		{"bad env bool", nil, map[string]string{"TEXTBANK_DEMO": "maybe"}, "", "", false, 0, "TEXTBANK_DEMO"},
		{"bad level", []string{"--log-level", "loud"}, nil, "", "", false, 0, "log level"},
		{"unknown flag", []string{"--nope"}, nil, "", "", false, 0, "nope"},
		{"stray argument", []string{"extra"}, nil, "", "", false, 0, "extra"},
		{"empty data", []string{"--data", ""}, nil, "", "", false, 0, "--data"},
		{"adopt grace on postgres", []string{"--db", "postgres://u@h/d", "--provider", "sim", "--adopt-grace", "6s"}, nil, "127.0.0.1:8787", "textbank-data", false, zerolog.InfoLevel, ""},
		{"adopt grace without --db", []string{"--adopt-grace", "6s"}, nil, "", "", false, 0, "--adopt-grace"},
		{"adopt grace within the lease", []string{"--db", "postgres://u@h/d", "--adopt-grace", "4s"}, nil, "", "", false, 0, "--adopt-grace"},
		{"negative adopt grace", []string{"--db", "postgres://u@h/d", "--adopt-grace", "-1s"}, nil, "", "", false, 0, "--adopt-grace"},
		{"adopt grace over an hour", []string{"--db", "postgres://u@h/d"}, map[string]string{"TEXTBANK_ADOPT_GRACE": "2h"}, "", "", false, 0, "--adopt-grace"},
		{"demo with real texts", []string{"--demo", "--provider", "twilio", "--twilio-account-sid", "AC0123456789abcdef0123456789abcdef",
			"--twilio-auth-token", "x", "--public-url", "https://texts.example.org"}, nil, "", "", false, 0, "--demo runs on the simulated network only"},
		{"trusted proxies", []string{"--trusted-proxies", "127.0.0.1, 10.0.0.0/24"}, nil, "127.0.0.1:8787", "textbank-data", false, zerolog.InfoLevel, ""},
		{"trusted proxies not addresses", nil, map[string]string{"TEXTBANK_TRUSTED_PROXIES": "proxy.example.org"}, "", "", false, 0,
			`--trusted-proxies: trusted proxy "proxy.example.org" is not an IP address`},
		{"trusted proxies too wide", []string{"--trusted-proxies", "0.0.0.0/0"}, nil, "", "", false, 0, "too wide"},
		{"sign-ups per hour", nil, map[string]string{"TEXTBANK_SIGNUPS_PER_HOUR": "200"}, "127.0.0.1:8787", "textbank-data", false, zerolog.InfoLevel, ""},
		{"no sign-ups per hour", []string{"--signups-per-hour", "0"}, nil, "", "", false, 0, "--signups-per-hour 0: want 1 to 100000"},
		{"connection caps", []string{"--max-conns", "50000"}, map[string]string{"TEXTBANK_MAX_CONNS_PER_ADDRESS": "5000"},
			"127.0.0.1:8787", "textbank-data", false, zerolog.InfoLevel, ""},
		{"no connections", []string{"--max-conns", "0"}, nil, "", "", false, 0, "--max-conns 0: want 1 to 1000000"},
		{"no connections per address", nil, map[string]string{"TEXTBANK_MAX_CONNS_PER_ADDRESS": "0"}, "", "", false, 0,
			"--max-conns-per-address 0: want 1 to --max-conns (10000)"},
		{"an address over everyone", []string{"--max-conns-per-address", "20000"}, nil, "", "", false, 0,
			"--max-conns-per-address 20000: want 1 to --max-conns (10000)"},
		{"connections not a number", nil, map[string]string{"TEXTBANK_MAX_CONNS": "lots"}, "", "", false, 0, "TEXTBANK_MAX_CONNS=\"lots\": want a whole number"},
		{"adopt grace not a duration", nil, map[string]string{"TEXTBANK_ADOPT_GRACE": "soon"}, "", "", false, 0, "TEXTBANK_ADOPT_GRACE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseServe(tc.args, envOf(tc.env), io.Discard)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.addr != tc.addr || cfg.data != tc.data || cfg.demo != tc.demo || cfg.logLevel != tc.level {
				t.Fatalf("cfg = %+v", cfg)
			}
			if tc.name == "trusted proxies" && fmt.Sprint(cfg.proxies) != "[127.0.0.1/32 10.0.0.0/24]" {
				t.Fatalf("trusted proxies = %v", cfg.proxies)
			}
			if want := map[string]int{"defaults": 30, "sign-ups per hour": 200}[tc.name]; want != 0 && cfg.signups != want {
				t.Fatalf("sign-ups per hour = %d, want %d", cfg.signups, want)
			}
			if want := map[string][2]int{"defaults": {2000, 10000}, "connection caps": {5000, 50000}}[tc.name]; want != [2]int{} &&
				[2]int{cfg.conns.perAddr, cfg.conns.total} != want {
				t.Fatalf("connection caps = %d per address, %d in all; want %v", cfg.conns.perAddr, cfg.conns.total, want)
			}
			if tc.name == "adopt grace on postgres" && cfg.adoptGrace != 6*time.Second {
				t.Fatalf("adopt grace = %v, want 6s", cfg.adoptGrace)
			}
		})
	}
}

func TestHelpListsEveryFlagAndVariable(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &out, io.Discard, envOf(nil)); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"serve", "-addr", "-data", "-demo", "-log-level", "-adopt-grace", "-trusted-proxies", "-signups-per-hour",
		"-max-conns-per-address", "-max-conns ", "TEXTBANK_MAX_CONNS_PER_ADDRESS", "TEXTBANK_MAX_CONNS)",
		"-webhook-reserve", "TEXTBANK_WEBHOOK_RESERVE",
		"TEXTBANK_SIGNUPS_PER_HOUR", "TEXTBANK_ADDR", "TEXTBANK_DATA", "TEXTBANK_DEMO", "TEXTBANK_LOG_LEVEL", "TEXTBANK_ADOPT_GRACE", "TEXTBANK_TRUSTED_PROXIES"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
	// Every organizer command's last word is in the summary's line for
	// its group ("contacts import FILE, contacts release EMAIL ...").
	for group, cmds := range commandGroups() {
		line := ""
		for _, l := range strings.Split(usage, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "textbankd "+group+" ") {
				line += l
			}
		}
		for _, c := range cmds {
			words := strings.Fields(c.name)
			if !strings.Contains(line, words[len(words)-1]) {
				t.Errorf("the help's lines for %q do not name %q: %q", group, c.name, line)
			}
		}
	}
	if code := run(context.Background(), []string{"frobnicate"}, io.Discard, io.Discard, envOf(nil)); code != 2 {
		t.Errorf("unknown command exit %d, want 2", code)
	}
}

func TestServeStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--data", dir, "--log-level", "error"}, io.Discard, io.Discard, envOf(nil))
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("server never became healthy")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A second server on the same data directory is refused, naming why
	// (not enforced on Windows).
	var stderr strings.Builder
	if code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--log-level", "error"}, io.Discard, &stderr, envOf(nil)); (code != exitRefused ||
		!strings.Contains(stderr.String(), "another textbankd serve is running on the database in "+dir+" (process ")) && runtime.GOOS != "windows" {
		t.Fatalf("second serve on %s: exit %d, %q", dir, code, stderr.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestWarnFileLimit: serve warns when the open-file limit cannot hold
// --max-conns connections and what the server needs besides, and only then.
func TestWarnFileLimit(t *testing.T) {
	var out bytes.Buffer
	log := zerolog.New(&out)
	warnFileLimit(log, 10_000, 1<<20)
	warnFileLimit(log, 10_000, 10_000+fileSpare)
	if out.Len() != 0 {
		t.Fatalf("warned with room enough: %s", out.String())
	}
	warnFileLimit(log, 10_000, 1024)
	if !strings.Contains(out.String(), "the open-file limit is below --max-conns") || !strings.Contains(out.String(), `"open_files":1024`) {
		t.Fatalf("no warning for a limit of 1024: %q", out.String())
	}
}

// TestServeLogMasksEmailsAndNumbers: an error logged whole (a store error
// naming an account, a text's number) reaches serve's log masked.
func TestServeLogMasksEmailsAndNumbers(t *testing.T) {
	var buf bytes.Buffer
	log := newLogger(&buf, zerolog.InfoLevel)
	log.Error().Err(errors.New("user vera@example.org: checks of a text to +12025550101: context canceled")).Msg("request failed")
	if out := buf.String(); strings.Contains(out, "vera@example.org") || strings.Contains(out, "2025550101") || !strings.Contains(out, "+…0101") {
		t.Fatalf("serve's log: %s", out)
	}
}

// TestSecretsTypedOnTheCommandLine: serve names the flags that put a secret
// where ps shows it (the operator's audit: the guide's --public-url with the
// proxy's password); the same values from the environment, and flags with
// no secret in them, are not named.
func TestSecretsTypedOnTheCommandLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"token, proxy password and database password typed",
			[]string{"--provider", "twilio", "--twilio-account-sid", "AC" + strings.Repeat("1", 32), "--twilio-auth-token", strings.Repeat("a", 32),
				"--public-url", "https://twilio:s3cret-proxy-pw@texts.example.org", "--db", "postgres://textbank:pw@db.example.org/textbank"},
			nil, "[--twilio-auth-token --public-url --db]"},
		{"from the environment", []string{"--provider", "twilio", "--twilio-account-sid", "AC" + strings.Repeat("1", 32)},
			map[string]string{"TEXTBANK_TWILIO_AUTH_TOKEN": strings.Repeat("a", 32), "TEXTBANK_PUBLIC_URL": "https://twilio:s3cret-proxy-pw@texts.example.org",
				"TEXTBANK_DB": "postgres://textbank:pw@db.example.org/textbank"}, "[]"},
		{"no secret in them", []string{"--provider", "sim", "--public-url", "https://texts.example.org", "--db", "postgres://textbank@db.example.org/textbank"},
			nil, "[]"},
	} {
		cfg, err := parseServe(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := fmt.Sprint(cfg.secretFlags); got != tc.want {
			t.Errorf("%s: secret flags %s, want %s", tc.name, got, tc.want)
		}
		// Each of these gives the database one way: nothing overridden.
		if cfg.envDBOverridden {
			t.Errorf("%s: TEXTBANK_DB said overridden", tc.name)
		}
	}
	// TEXTBANK_DB and a --db naming another database: the flag wins, said.
	cfg, err := parseServe([]string{"--provider", "sim", "--db", "postgres://textbank@db2.example.org/textbank"},
		func(k string) string {
			return map[string]string{"TEXTBANK_DB": "postgres://textbank@db1.example.org/textbank"}[k]
		}, io.Discard)
	if err != nil || !cfg.envDBOverridden || cfg.db != "postgres://textbank@db2.example.org/textbank" {
		t.Fatalf("TEXTBANK_DB and --db: %+v, %v", cfg, err)
	}
	// The same database, its password in the environment only: not another.
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"postgres://textbank:pw@db1.example.org/textbank", "postgres://textbank@db1.example.org/textbank", true},
		{"postgres://textbank@db1.example.org/textbank?password=pw&sslmode=require", "postgres://textbank@db1.example.org/textbank?sslmode=require", true},
		// Every parameter redactURL hides as a password (passwordParam) is one here.
		{"postgres://textbank@db1.example.org/textbank?sslpassword=keypass", "postgres://textbank@db1.example.org/textbank", true},
		{"postgres://textbank@db1.example.org/textbank", "postgres://textbank@db1.example.org/other", false},
		{"postgres://textbank@db1.example.org/textbank", "", false},
	} {
		if got := sameDatabase(c.a, c.b); got != c.same {
			t.Errorf("sameDatabase(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
