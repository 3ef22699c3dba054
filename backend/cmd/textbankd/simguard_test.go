package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/testlog"
)

// TestSimulatedNetworkRefusesARealCampaignsDatabase: `serve --provider sim`
// (or --demo) on the data directory of a server that sent through Twilio
// would mark real contacts' texts delivered without sending them and store
// the simulated contacts' made-up replies and STOPs as theirs. It is
// refused, with nothing touched and the way out named; a directory the
// simulated network served before (its journal there) still starts.
func TestSimulatedNetworkRefusesARealCampaignsDatabase(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	data := filepath.Join(t.TempDir(), "textbank")
	st, err := openDB(ctx, "", data, true)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// A text Twilio took: what every database served with --provider
	// twilio holds once volunteers have sent.
	db, err := sql.Open("sqlite3", filepath.Join(data, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO messages (id, thread_id, direction, body, status, provider_id, initial, created_at)
		VALUES ('m1', 't1', 'out', 'Hi Ada, will you vote?', 'delivered', 'SM0123456789abcdef0123456789abcdef', 1, '2026-10-30T18:42:00Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, flags := range [][]string{{"--provider", "sim"}, {"--demo"}} {
		// Refused at once; a server that started instead stops after 5 s.
		tctx, tcancel := context.WithTimeout(ctx, 5*time.Second)
		var stderr strings.Builder
		code := run(tctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--log-level", "error"}, flags...),
			io.Discard, &stderr, envOf(nil))
		tcancel()
		out := stderr.String()
		if code == 0 || !strings.Contains(out, "its texts went out through Twilio") || !strings.Contains(out, "touch "+filepath.Join(data, simJournal)) {
			t.Fatalf("serve %v on a Twilio campaign's data: exit %d, %s; want a refusal naming the way out", flags, code, out)
		}
		if _, err := os.Stat(filepath.Join(data, simJournal)); !os.IsNotExist(err) {
			t.Fatalf("serve %v made the simulated network's journal before refusing: %v", flags, err)
		}
	}

	// A journal left from trying the simulated network before the campaign
	// went live, older than Twilio's text: refused all the same, saying so.
	journal := filepath.Join(data, simJournal)
	before := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	writeJournal := func(lines string, mtime time.Time) {
		t.Helper()
		if err := os.WriteFile(journal, []byte(lines), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(journal, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	writeJournal(`{"id":"SMtried0","from":"+12025550180","to":"+12025550101","body":"test","at":"2026-10-01T09:00:00Z"}`+"\n", before)
	st, err = openDB(ctx, "", data, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = checkSimOnRealTexts(ctx, data, st)
	if err == nil || !strings.Contains(err.Error(), "SM0123456789abcdef0123456789abcdef among them) after the simulated network last started or sent here, 2026-10-01T09:00:00Z (the time its journal "+journal+" is dated)") ||
		!strings.Contains(err.Error(), "touch "+journal) {
		t.Fatalf("a journal older than Twilio's texts: %v; want a refusal naming a text sent after it and the way out", err)
	}
	// The text is the network's own (a clock stepped back made the journal
	// look older): not Twilio's.
	writeJournal(`{"id":"SM0123456789abcdef0123456789abcdef","from":"+12025550180","to":"+12025550101","body":"Hi","at":"2026-10-30T18:42:00Z"}`+"\n", before)
	if err := checkSimOnRealTexts(ctx, data, st); err != nil {
		t.Fatalf("the journal lists the text: %v", err)
	}
	st.Close()

	// On purpose: a copy tried with simulated texts, journal made first.
	if err := os.WriteFile(filepath.Join(data, simJournal), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &testlog.Buffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--provider", "sim"}, io.Discard, logs, envOf(nil))
	}()
	awaitLog(t, logs, done, "textbankd serving", serveStartWait)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve --provider sim with its journal in place: exit %d: %s", code, logs.String())
	}
}

// TestServeWithNumbersNeedsProvider: without --provider, serve starts on a
// database with no sending numbers yet (Twilio not set up), warning that
// texts fail; once a campaign has numbers it is refused, naming how many:
// each volunteer's text would fail for good, its contact spent (the
// operator audit: a unit missing its --provider line).
func TestServeWithNumbersNeedsProvider(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env, code, _ := organizerWithCampaign(t)
	data := env["TEXTBANK_DATA"]
	logs := &testlog.Buffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data}, io.Discard, logs, envOf(nil))
	}()
	awaitLog(t, logs, done, "textbankd serving with no SMS provider", serveStartWait)
	cancel()
	if exit := <-done; exit != 0 || !strings.Contains(logs.String(), `"level":"warn"`) {
		t.Fatalf("serve without numbers or provider: exit %d: %s", exit, logs.String())
	}
	if exit, out, errOut := runCLI(t, env, "", "numbers", "add", "--campaign", code, "+12025550180", "+12025550181"); exit != 0 {
		t.Fatalf("numbers add: %s %s", out, errOut)
	}
	tctx, tcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer tcancel()
	var stderr strings.Builder
	exit := run(tctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--log-level", "error"}, io.Discard, &stderr, envOf(nil))
	if exit == 0 || !strings.Contains(stderr.String(), "no --provider, and the campaigns here have 2 sending numbers") {
		t.Fatalf("serve without a provider on a campaign with numbers: exit %d, %s; want a refusal", exit, stderr.String())
	}
}

// TestDemoRestartsWhereTheSimulatedNetworkServedBefore: --provider sim
// served a directory and sent nothing (its journal made, then left alone
// for two days), then --demo seeded it: the seed's texts carry made-up
// provider ids the journal never lists, dated after the journal. Every
// later --demo start was refused as if Twilio had sent them (the review);
// a start the check lets through dates the journal, so they are older.
func TestDemoRestartsWhereTheSimulatedNetworkServedBefore(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "textbank")
	st, err := openDB(ctx, "", data, true)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	journal := filepath.Join(data, simJournal)
	twoDaysAgo := time.Now().Add(-48 * time.Hour)
	if err := os.WriteFile(journal, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(journal, twoDaysAgo, twoDaysAgo); err != nil {
		t.Fatal(err)
	}
	for start := 1; start <= 2; start++ {
		sctx, stop := context.WithCancel(ctx)
		logs := &testlog.Buffer{}
		done := make(chan int, 1)
		go func() {
			done <- run(sctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--demo"}, io.Discard, logs, envOf(nil))
		}()
		awaitLog(t, logs, done, "textbankd serving", serveStartWait)
		stop()
		if code := <-done; code != 0 {
			t.Fatalf("--demo start %d: exit %d: %s", start, code, logs.String())
		}
	}
}

// TestSimGuardDoesNotHoldTheJournal: a Twilio text listed since the
// journal's date is looked for in the journal without decoding or holding
// its lines (a long simulated trial's journal is hundreds of MB); the
// check decoded every line into memory to refuse.
func TestSimGuardDoesNotHoldTheJournal(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "textbank")
	st, err := openDB(ctx, "", data, true)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db, err := sql.Open("sqlite3", filepath.Join(data, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO messages (id, thread_id, direction, body, status, provider_id, initial, created_at)
		VALUES ('m1', 't1', 'out', 'Hi Ada, will you vote?', 'delivered', 'SM0123456789abcdef0123456789abcdef', 1, '2026-10-30T18:42:00Z')`); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(data, simJournal)
	var b strings.Builder
	for i := range 40000 {
		fmt.Fprintf(&b, `{"id":"SMtried%08d","from":"+12025550180","to":"+12025550101","body":"Hi, this is a simulated text","at":"2026-10-01T09:00:00Z"}`+"\n", i)
	}
	if err := os.WriteFile(journal, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	before := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	if err := os.Chtimes(journal, before, before); err != nil {
		t.Fatal(err)
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	err = checkSimOnRealTexts(ctx, data, st)
	runtime.ReadMemStats(&m1)
	if err == nil || !strings.Contains(err.Error(), "its texts went out through Twilio") {
		t.Fatalf("check: %v; want the Twilio text refused", err)
	}
	// The journal is 5 MB; decoded, its records took more than that.
	if got := m1.TotalAlloc - m0.TotalAlloc; got > 1<<20 {
		t.Fatalf("the check allocated %d bytes for a %d-byte journal; want it read through, not held", got, b.Len())
	}
}
