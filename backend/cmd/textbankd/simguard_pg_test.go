package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/democampaign"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// refusedOnPostgres runs serve with args on the database and says what it
// refused with; a serve that starts instead is stopped after 10 s and
// fails the test.
func refusedOnPostgres(t *testing.T, url string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var stderr strings.Builder
	code := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", url, "--data", t.TempDir(), "--log-level", "error"}, args...),
		io.Discard, &stderr, envOf(nil))
	if code != exitRefused {
		t.Fatalf("serve %v: exit %d, %s; want a refusal (exit %d)", args, code, stderr.String(), exitRefused)
	}
	return stderr.String()
}

// TestSimulatedNetworkRefusesARealPostgresDatabase: serve --demo or
// --provider sim on a production PostgreSQL database was let through
// (only SQLite had a check, by the journal in --data): the demo added
// accounts with its published password, and the simulated network took
// its share of real contacts' queued texts. Refused now, naming what was
// found and the way out (a database of its own), on a database served
// with Twilio, one holding texts no simulated server made, and for --demo
// one holding accounts; a fresh database still serves the demo, again and
// again, and beside other simulated servers.
func TestSimulatedNetworkRefusesARealPostgresDatabase(t *testing.T) {
	// A fresh database: the demo serves, and serves again after its seed.
	trial := pgtest.URL(t)
	serveSim(t, "--db", trial, "--data", t.TempDir(), "--demo")
	serveSim(t, "--db", trial, "--data", t.TempDir(), "--demo")
	serveSim(t, "--db", trial, "--data", t.TempDir())

	// Served with Twilio: refused, though it holds nothing yet.
	live := pgtest.URL(t)
	token := writeFile(t, t.TempDir(), "token", "0123456789abcdef0123456789abcdef\n")
	serveSim(t, "--db", live, "--data", t.TempDir(), "--provider", "twilio", "--twilio-account-sid", "AC0123456789abcdef0123456789abcdef",
		"--twilio-auth-token-file", token, "--twilio-api-url", "http://127.0.0.1:1", "--public-url", "https://texts.example.org")
	for _, flags := range [][]string{{"--provider", "sim"}, {"--demo"}} {
		out := refusedOnPostgres(t, live, flags...)
		if !strings.Contains(out, "servers have sent its texts through Twilio (--provider twilio) since ") ||
			!strings.Contains(out, "give --db a database of its own") {
			t.Errorf("serve %v on a database served with Twilio: %s; want a refusal naming Twilio and the way out", flags, out)
		}
	}

	// Texts no simulated server sent (a server of before the record):
	// the demo's seed, made without a server.
	old := pgtest.URL(t)
	st, err := openDB(context.Background(), old, t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := democampaign.Seed(context.Background(), st, time.Now()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if out := refusedOnPostgres(t, old, "--provider", "sim"); !strings.Contains(out, "it holds texts handed to a provider (SM") ||
		!strings.Contains(out, "the simulated network never served it") {
		t.Errorf("serve --provider sim on a database with texts: %s; want a refusal naming a text", out)
	}

	// Accounts, no texts: the demo is refused, the simulated network not.
	accounts := pgtest.URL(t)
	if code, out, errOut := runCLI(t, map[string]string{"TEXTBANK_DB": accounts}, "correct horse battery\n",
		"users", "add", "orla@springfieldvotes.org", "--name", "Orla Organizer"); code != 0 {
		t.Fatalf("users add: %s %s", out, errOut)
	}
	if out := refusedOnPostgres(t, accounts, "--demo"); !strings.Contains(out, "it holds 1 account, and the demo would add its organizer and volunteer") ||
		!strings.Contains(out, democampaign.VolunteerPassword) {
		t.Errorf("serve --demo on a database with accounts: %s; want a refusal naming them", out)
	}
	serveSim(t, "--db", accounts, "--data", t.TempDir())
}
