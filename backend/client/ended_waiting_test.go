package client_test

import (
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
)

// endedWithReply is a volunteer's app whose sign-in the server ended (an
// organizer's users sign-out) while a reply waited to be sent offline.
type endedWithReply struct {
	inst    *demo.Instance
	c       *client.Client
	dir     string
	camp    string
	thread  client.ThreadSummary
	body    string
	sentBef int
}

// endWithReplyWaiting signs the demo volunteer in over a network it cuts,
// queues a reply, ends the sign-in on the server and mends the network:
// the app hears the 401 with the reply waiting.
func endWithReplyWaiting(t *testing.T) endedWithReply {
	t.Helper()
	ctx := context.Background()
	inst := startDemoIn(t, t.TempDir(), "127.0.0.1:0")
	t.Cleanup(func() { stop(t, inst) })
	netw := &cutTransport{}
	e := endedWithReply{inst: inst, dir: t.TempDir(), camp: inst.Info.CampaignID, body: "See you at the polls, from the ended sign-in"}
	e.c = retryingThrough(t, inst.URL, e.dir, netw, func(client.Event) {})
	signInAndJoin(t, e.c)
	e.thread = firstThread(t, e.c, e.camp)
	e.sentBef = sentTo(inst.Network, e.thread.ContactPhone)
	token := savedToken(t, e.dir)
	netw.setCut(true)
	eventually(t, "offline", 10*time.Second, func() bool { return e.c.Status(ctx).Connection == client.ConnectionOffline })
	if err := e.c.SendReply(ctx, e.thread.ID, e.body, ""); err != nil {
		t.Fatal(err)
	}
	raw := api.NewClient(inst.URL, nil)
	raw.SetToken(token)
	if err := raw.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	netw.setCut(false)
	eventually(t, "the ended sign-in", 15*time.Second, func() bool {
		st := e.c.Status(ctx)
		return !st.SignedIn && st.SignInEnded == demo.VolunteerEmail && st.Pending == 1
	})
	return e
}

// firstThread waits for the demo's conversations and returns the first.
func firstThread(t *testing.T, c *client.Client, camp string) client.ThreadSummary {
	t.Helper()
	eventually(t, "the demo's conversations", 10*time.Second, func() bool {
		n, err := c.Counts(context.Background(), camp)
		return err == nil && n[client.FilterAll] > 0
	})
	return threadsUnder(t, c, camp, client.FilterAll, "")[0]
}

// rawCount counts a table's rows in dir's cache file, read as it is.
func rawCount(t *testing.T, dir, table string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// onlyTheOutbox fails the test unless dir's cache file holds n outbox rows
// and nothing of the contacts.
func onlyTheOutbox(t *testing.T, dir string, n int) {
	t.Helper()
	for _, table := range []string{"contacts", "threads", "messages", "assignments", "campaigns", "reports"} {
		if got := rawCount(t, dir, table); got != 0 {
			t.Errorf("%d %s rows left with the sign-in ended", got, table)
		}
	}
	if got := rawCount(t, dir, "outbox"); got != n {
		t.Errorf("%d outbox rows, want %d", got, n)
	}
}

// A 401 with a reply waiting deletes all but the reply; signing in again
// as the same volunteer sends it, once, and the inbox comes back.
func TestSignInEndedWithAReplyWaitingKeepsOnlyIt(t *testing.T) {
	ctx := context.Background()
	e := endWithReplyWaiting(t)
	onlyTheOutbox(t, e.dir, 1)
	if got, _ := e.c.Campaigns(ctx); len(got) != 0 {
		t.Errorf("%d campaigns shown with the sign-in ended", len(got))
	}

	if _, err := e.c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reply sent", 15*time.Second, func() bool {
		return sentTo(e.inst.Network, e.thread.ContactPhone) == e.sentBef+1 && e.c.Status(ctx).Pending == 0
	})
	eventually(t, "the inbox back with the reply in it", 15*time.Second, func() bool {
		v, err := e.c.Thread(ctx, e.thread.ID)
		if err != nil {
			return false
		}
		n := 0
		for _, m := range v.Messages {
			if m.Body == e.body {
				n++
			}
		}
		if n > 1 {
			t.Fatalf("the reply is in the thread %d times", n)
		}
		return n == 1
	})
	if st := e.c.Status(ctx); !st.SignedIn || st.SignInEnded != "" {
		t.Errorf("signed in again: %+v", st)
	}
}

// Signing in as another account deletes the ended sign-in's waiting reply:
// it is never pushed under someone else's name.
func TestSignInEndedThenAnotherAccountDiscardsTheWaiting(t *testing.T) {
	ctx := context.Background()
	e := endWithReplyWaiting(t)
	if _, err := e.c.SignIn(ctx, demo.OrganizerEmail, demo.OrganizerPassword); err != nil {
		t.Fatal(err)
	}
	if n := rawCount(t, e.dir, "outbox"); n != 0 {
		t.Errorf("%d outbox rows kept for the organizer", n)
	}
	if st := e.c.Status(ctx); st.Pending != 0 || st.SignInEnded != "" {
		t.Errorf("as the organizer: %+v", st)
	}
}

// clock is a test's settable clock.
type clock struct {
	mu  gosync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// A computer that never reaches the server again ends the sign-in by
// itself once the server has surely ended the token (30 days unused):
// running, after a failed round, and at start. Short of that it stays
// signed in.
func TestSignInUnusedThirtyDaysEndsOffline(t *testing.T) {
	ctx := context.Background()
	inst := startDemoIn(t, t.TempDir(), "127.0.0.1:0")
	t.Cleanup(func() { stop(t, inst) })
	clk := &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	netw := &cutTransport{}
	dir := t.TempDir()
	cfg := client.Config{DataDir: dir, ServerURL: inst.URL, Log: zerolog.Nop(), HTTPClient: &http.Client{Transport: netw},
		PollInterval: time.Hour, BackoffMin: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond, Now: clk.Now}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	signInAndJoin(t, c)
	th := firstThread(t, c, inst.Info.CampaignID)
	netw.setCut(true)
	if err := c.SendReply(ctx, th.ID, "kept through the month", ""); err != nil {
		t.Fatal(err)
	}
	// 30 days and a little: the server may have touched the token up to
	// an hour after the app last stored its time; still signed in.
	clk.add(api.TokenIdle + 30*time.Minute)
	c.Close()
	c = started(t, cfg)
	if err := c.SendReply(ctx, th.ID, "and one more", ""); err != nil {
		t.Fatal(err)
	}
	if st := c.Status(ctx); !st.SignedIn || st.SignInEnded != "" {
		t.Fatalf("30 days and half an hour unused: %+v", st)
	}
	// Running, offline: the next failed round ends it.
	clk.add(time.Hour)
	eventually(t, "the sign-in ended by the clock", 10*time.Second, func() bool {
		st := c.Status(ctx)
		return !st.SignedIn && st.SignInEnded == demo.VolunteerEmail && st.Pending == 2
	})
	c.Close()
	onlyTheOutbox(t, dir, 2)
	// Started again, still offline: the screen still says whose changes wait.
	c = started(t, cfg)
	if st := c.Status(ctx); st.SignedIn || st.SignInEnded != demo.VolunteerEmail || st.Pending != 2 {
		t.Errorf("started again: %+v", st)
	}
}

// At start, a saved sign-in the server has not accepted for longer than it
// keeps an unused one is asked of the server by sync's first round, and
// ends when that round cannot reach it (a clock gone ahead while the app
// was closed is then mended by the server's answer: clock_test.go).
func TestSignInUnusedThirtyDaysEndsAtStart(t *testing.T) {
	ctx := context.Background()
	inst := startDemoIn(t, t.TempDir(), "127.0.0.1:0")
	t.Cleanup(func() { stop(t, inst) })
	clk := &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	netw := &cutTransport{}
	dir := t.TempDir()
	cfg := client.Config{DataDir: dir, ServerURL: inst.URL, Log: zerolog.Nop(), HTTPClient: &http.Client{Transport: netw},
		PollInterval: time.Hour, BackoffMin: time.Hour, BackoffMax: time.Hour, Now: clk.Now}
	c := started(t, cfg)
	signInAndJoin(t, c)
	th := firstThread(t, c, inst.Info.CampaignID)
	netw.setCut(true)
	if err := c.SendReply(ctx, th.ID, "kept through the month", ""); err != nil {
		t.Fatal(err)
	}
	c.Close()
	clk.add(api.TokenIdle + 2*time.Hour)
	c = started(t, cfg)
	eventually(t, "the sign-in ended at start", 10*time.Second, func() bool {
		st := c.Status(ctx)
		return !st.SignedIn && st.SignInEnded == demo.VolunteerEmail && st.Pending == 1
	})
	c.Close()
	onlyTheOutbox(t, dir, 1)
}
