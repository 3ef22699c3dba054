package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/testlog"
)

// twilioServeArgs are the arguments of a textbankd serve --provider twilio
// whose API is the stand-in at api, catching up every every.
func twilioServeArgs(k killDB, api string, every time.Duration) ([]string, []string) {
	args := append(k.serveArgs(), "--provider", "twilio", "--log-level", "debug", "--twilio-account-sid", inboundSID,
		"--public-url", inboundURL, "--twilio-api-url", api, "--inbound-catchup", every.String())
	return args, []string{"TEXTBANK_TWILIO_AUTH_TOKEN=" + inboundToken}
}

// waitStored waits until the text sid is stored (as a reply or unroutable).
func waitStored(t *testing.T, k killDB, sid string, logs *testlog.Buffer) {
	t.Helper()
	db, arg, err := k.sql()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var n int
		err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM messages WHERE provider_id = `+arg+`)
			+ (SELECT COUNT(*) FROM unroutable_messages WHERE provider_id = `+strings.Replace(arg, "1", "2", 1)+`)`, sid, sid).Scan(&n)
		if err == nil && n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never stored (%v); log:\n%s", sid, err, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRepliesWhileServingAreCaughtUp: while a textbankd serve --provider
// twilio runs, contacts reply and Twilio cannot reach its webhook (only
// the stand-in has the replies): the next periodic round stores each
// once, and says so. Before the rounds they waited for a restart.
func TestRepliesWhileServingAreCaughtUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a real server")
	}
	repliesWhileServing(t, killDB{dir: t.TempDir()})
}

// TestPostgresRepliesWhileServingAreCaughtUp is the same on PostgreSQL.
func TestPostgresRepliesWhileServingAreCaughtUp(t *testing.T) {
	url := pgtest.MigratedURL(t)
	if testing.Short() {
		t.Skip("builds and runs a real server")
	}
	repliesWhileServing(t, killDB{dir: t.TempDir(), url: url})
}

func repliesWhileServing(t *testing.T, k killDB) {
	bin := textbankdBinary(t)
	actionID := seedKillCampaign(t, k, 10)
	replied := seedTextedThreads(t, k, actionID, 3)
	held := &heldReplies{}
	api := httptest.NewServer(http.HandlerFunc(held.serve))
	t.Cleanup(api.Close)
	args, env := twilioServeArgs(k, api.URL, 200*time.Millisecond)
	var logs testlog.Buffer
	proc, _ := startServeProc(t, bin, env, &logs, args...)
	defer func() { _ = proc.Process.Kill(); _ = proc.Wait() }()
	for held.begun() == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	texts := []webhookText{
		{sid: "SM" + strings.Repeat("1", 32), from: replied[0], body: "Yes, count me in"},
		{sid: "SM" + strings.Repeat("2", 32), from: replied[1], body: "STOP"},
	}
	posted := map[string]webhookText{}
	for _, in := range texts {
		// Received a minute ago: no webhook request of it was on its way
		// when a round stored it (the round warns only of those).
		held.hold(in, ourNumber, time.Now().Add(-time.Minute))
		posted[in.sid] = in
		waitStored(t, k, in.sid, &logs)
	}
	_ = proc.Process.Signal(syscall.SIGTERM)
	_ = proc.Wait()
	if !strings.Contains(logs.String(), "stored texts the webhook did not get") {
		t.Errorf("no warning that the webhook missed texts:\n%s", logs.String())
	}
	checkInboundOnce(t, k, posted)
}

// TestRepliesWhileDownDaysAreCaughtUp: the database says the texts were
// last listed three days ago (a server stopped over a long weekend); at the
// start, the reply of two days ago is stored: the round lists from three
// days ago (less ten minutes). With the fixed 24 hours it was lost.
func TestRepliesWhileDownDaysAreCaughtUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a real server")
	}
	k := killDB{dir: t.TempDir()}
	bin := textbankdBinary(t)
	actionID := seedKillCampaign(t, k, 10)
	replied := seedTextedThreads(t, k, actionID, 3)
	now := time.Now()
	st := k.open(t)
	if err := st.Update(context.Background(), func(tx store.Tx) error {
		return tx.NoteInboundListed(context.Background(), now.Add(-72*time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	held := &heldReplies{}
	old := webhookText{sid: "SM" + strings.Repeat("3", 32), from: replied[0], body: "Sorry, I was away: yes"}
	held.hold(old, ourNumber, now.Add(-48*time.Hour))
	api := httptest.NewServer(http.HandlerFunc(held.serve))
	t.Cleanup(api.Close)
	args, env := twilioServeArgs(k, api.URL, 0)
	var logs testlog.Buffer
	proc, _ := startServeProc(t, bin, env, &logs, args...)
	defer func() { _ = proc.Process.Kill(); _ = proc.Wait() }()
	waitStored(t, k, old.sid, &logs)
	_ = proc.Process.Signal(syscall.SIGTERM)
	_ = proc.Wait()
	checkInboundOnce(t, k, map[string]webhookText{old.sid: old})
}

// TestPostgresServersShareCatchUpRounds: two servers on one PostgreSQL
// database, each catching up every 250 ms: between them about one round an
// interval lists the texts (each alone, by the archiver's lock, and the
// one that finds a round began a moment ago lists nothing), not one each;
// the replies Twilio could not post are each stored once.
func TestPostgresServersShareCatchUpRounds(t *testing.T) {
	url := pgtest.MigratedURL(t)
	if testing.Short() {
		t.Skip("builds and runs real servers")
	}
	k := killDB{dir: t.TempDir(), url: url}
	bin := textbankdBinary(t)
	actionID := seedKillCampaign(t, k, 10)
	replied := seedTextedThreads(t, k, actionID, 5)
	held := &heldReplies{}
	api := httptest.NewServer(http.HandlerFunc(held.serve))
	t.Cleanup(api.Close)
	const every = 250 * time.Millisecond
	var logs [2]testlog.Buffer
	var procs []*exec.Cmd
	for i, dir := range []string{k.dir, t.TempDir()} {
		args, env := twilioServeArgs(killDB{dir: dir, url: url}, api.URL, every)
		proc, _ := startServeProc(t, bin, env, &logs[i], args...)
		defer func() { _ = proc.Process.Kill(); _ = proc.Wait() }()
		procs = append(procs, proc)
	}
	for held.begun() == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	posted := map[string]webhookText{}
	start, from := time.Now(), held.begun()
	for i, phone := range replied {
		in := webhookText{sid: "SM" + strings.Repeat(string(rune('a'+i)), 32), from: phone, body: "Yes " + string(rune('a'+i))}
		held.hold(in, ourNumber, time.Now())
		posted[in.sid] = in
		time.Sleep(2 * every)
	}
	for sid := range posted {
		waitStored(t, k, sid, &logs[0])
	}
	rounds, intervals := held.begun()-from, int(time.Since(start)/every)
	if rounds > intervals+3 || rounds < intervals/3 {
		t.Errorf("%d rounds in %d intervals, want about one an interval between the two servers", rounds, intervals)
	}
	t.Logf("%d rounds in %d intervals", rounds, intervals)
	for _, proc := range procs {
		_ = proc.Process.Signal(syscall.SIGTERM)
		_ = proc.Wait()
	}
	for i := range logs {
		if !strings.Contains(logs[i].String(), "inbound catch-up") {
			t.Errorf("server %d logged no catch-up:\n%s", i, logs[i].String())
		}
	}
	checkInboundOnce(t, k, posted)
}
