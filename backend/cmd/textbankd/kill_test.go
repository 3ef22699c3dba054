package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/killtest"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// TestKillDuringSends runs a real textbankd, sends first texts through it
// from app-like clients (each with an outbox that repeats an unanswered
// push with the same ids, as the app does) and kills it with SIGKILL at
// random moments, 20 times. Afterwards every text the server accepted went
// out exactly once (the simulated network's journal, written before Send
// returns, is the phone company's record) and none is left queued or
// sending. Every fifth kill also leaves the journal torn, as a kill in the
// middle of its write does.
func TestKillDuringSends(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	killDuringSends(t, killDB{dir: t.TempDir()}, 20)
}

// TestPostgresKillDuringSends is the same on PostgreSQL (--db): a text
// claimed with FOR UPDATE SKIP LOCKED and left sending by the killed
// server is recovered by the next one (its instance lock died with it).
func TestPostgresKillDuringSends(t *testing.T) {
	url := pgtest.MigratedURL(t)
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	killDuringSends(t, killDB{dir: t.TempDir(), url: url}, 10)
}

// killDB is where a kill test's server keeps its texts: SQLite in dir, or
// the PostgreSQL database url (dir then holds the network's journal only).
type killDB struct{ dir, url string }

func (k killDB) serveArgs() []string {
	args := []string{"--data", k.dir}
	if k.url != "" {
		// Past the lease's 4 s, not the 40 s a real provider's calls need:
		// the simulated network answers at once.
		args = append(args, "--db", k.url, "--adopt-grace", "6s")
	}
	return args
}

func (k killDB) open(t *testing.T) store.Store {
	t.Helper()
	var st store.Store
	var err error
	if k.url != "" {
		st, err = postgres.Open(context.Background(), k.url)
	} else {
		st, err = store.Open(context.Background(), filepath.Join(k.dir, demo.DBFile))
	}
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// sql opens the database for the checks' own queries; arg is the
// placeholder of a query's one argument.
func (k killDB) sql() (db *sql.DB, arg string, err error) {
	if k.url != "" {
		db, err = sql.Open("pgx", k.url)
		return db, "$1", err
	}
	db, err = sql.Open("sqlite3", "file:"+filepath.Join(k.dir, demo.DBFile)+"?mode=ro&_busy_timeout=5000")
	return db, "?", err
}

func killDuringSends(t *testing.T, k killDB, rounds int) {
	bin := textbankdBinary(t)
	dir := k.dir
	actionID := seedKillCampaign(t, k, 6000)
	rng := rand.New(rand.NewPCG(7, 7))

	const volunteers = 6
	clients := make([]*killClient, volunteers)
	var applied atomic.Int64 // texts the servers said they accepted
	for round := 0; round < rounds; round++ {
		proc, base := startServer(t, bin, k.serveArgs()...)
		if round == 0 {
			for i := range clients {
				clients[i] = newKillClient(t, base, actionID, i, &applied)
			}
		}
		from := applied.Load()
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for _, c := range clients {
			c.api = api.NewClient(base, &http.Client{Timeout: 5 * time.Second})
			c.api.SetToken(c.token)
			wg.Add(1)
			go func() { defer wg.Done(); c.work(ctx) }()
		}
		idle := make(chan struct{}) // every client stopped: the server took no more
		go func() { wg.Wait(); close(idle) }()
		time.Sleep(time.Duration(50+rng.IntN(450)) * time.Millisecond)
		// Not before this server accepted a text of its own: killed
		// before, as 5 rounds in 20 of a run were, it cut nothing the last
		// had not.
		err := killtest.AwaitProgress(func() bool { return applied.Load() > from }, idle)
		if err := proc.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = proc.Wait()
		cancel()
		<-idle
		if err != nil || applied.Load() == from {
			t.Fatalf("round %d: the restarted server accepted no text (%v); the clients stopped on: %s", round, err, stops(clients))
		}
		if round%5 == 4 {
			tearJournal(t, dir)
		}
	}
	// A last run lets the dispatcher finish and the outboxes empty.
	proc, base := startServer(t, bin, k.serveArgs()...)
	defer func() { _ = proc.Process.Signal(syscall.SIGKILL); _ = proc.Wait() }()
	for _, c := range clients {
		c.api = api.NewClient(base, nil)
		c.api.SetToken(c.token)
		for len(c.outbox) > 0 {
			if !c.push(context.Background()) {
				t.Fatal("final push failed")
			}
		}
	}
	waitNothingPending(t, k)

	accepted := map[string]bool{}
	for _, c := range clients {
		for id := range c.accepted {
			accepted[id] = true
		}
	}
	if len(accepted) < 5*rounds {
		t.Fatalf("only %d texts accepted in %d rounds; the test did not exercise much", len(accepted), rounds)
	}
	journal, err := simnet.ReadJournal(filepath.Join(dir, simJournal))
	if err != nil {
		t.Fatal(err)
	}
	sends := map[string]int{}
	for _, e := range journal {
		sends[e.Key]++
		if e.Repeat {
			t.Errorf("text %s handed to the network a second time", e.Key)
		}
	}
	for id := range accepted {
		if sends[id] != 1 {
			t.Errorf("accepted text %s went out %d times, want 1; %s", id, sends[id], explainText(t, k, id))
		}
	}
	for key := range sends {
		if !accepted[key] {
			t.Errorf("text %s went out but no client heard it was accepted", key)
		}
	}
	if !t.Failed() {
		t.Logf("%d texts accepted and sent once each across %d SIGKILLs", len(accepted), rounds)
	}
}

// tearJournal leaves the simulated network's journal as a kill in the
// middle of its write leaves it (SIGKILL can cut a write at a page
// boundary): a last line without its end, for a Send that never returned.
// A real kill lands there about once in a thousand; this makes the restart
// after it part of every run.
func tearJournal(t *testing.T, dir string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, simJournal), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(`{"id":"SMtorn","key":"torn-by-kill","from":"+1202555`); err != nil {
		t.Fatal(err)
	}
}

func seedKillCampaign(t *testing.T, k killDB, contacts int) string {
	t.Helper()
	ctx := context.Background()
	st := k.open(t)
	defer st.Close()
	now := time.Now().UTC()
	actionID := uuid.NewString()
	err := st.Update(ctx, func(tx store.Tx) error {
		admin := store.User{ID: uuid.NewString(), Name: "Admin", Email: "admin@example.org", PasswordHash: "x", CreatedAt: now}
		if err := tx.CreateUser(ctx, admin); err != nil {
			return err
		}
		if err := tx.CreateOrganization(ctx, store.Organization{ID: "org", Name: "Org", CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, store.Campaign{ID: "camp", OrganizationID: "org", Name: "Turnout", JoinCode: "424242", Public: true, Active: true, CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.CreateAction(ctx, store.Action{ID: actionID, CampaignID: "camp", Type: api.ActionP2P, Title: "Turnout",
			Scripts: []string{"Hi {first_name}, will you vote?"}, TextingHours: store.TextingHours{Start: "00:00", End: "24:00"},
			BatchSize: 20, AllowFreeText: true, CreatorID: admin.ID, CreatedAt: now}); err != nil {
			return err
		}
		for i := range 3 {
			if err := tx.AddSendingNumber(ctx, "camp", fmt.Sprintf("+1202555%04d", 100+i), now); err != nil {
				return err
			}
		}
		for i := range contacts {
			if err := tx.CreateContact(ctx, store.Contact{ID: uuid.NewString(), ActionID: actionID, FirstName: fmt.Sprintf("C%d", i),
				Phone: fmt.Sprintf("+1212%07d", 5550000+i), CreatedAt: now.Add(time.Duration(i) * time.Microsecond)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return actionID
}

func waitNothingPending(t *testing.T, k killDB) {
	t.Helper()
	db, _, err := k.sql()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var pending int
		err := db.QueryRow(`SELECT COUNT(*) FROM messages WHERE status IN ('queued', 'sending', 'unknown')`).Scan(&pending)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			t.Fatal(err)
		}
		if err == nil && pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d texts still queued, sending or unknown", pending)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// explainText says what became of a text the journal does not show going
// out once: its stored status and error, and every journal line naming it
// (parsed or not), so that a failure of the kill test can be diagnosed.
func explainText(t *testing.T, k killDB, id string) string {
	t.Helper()
	dir := k.dir
	db, arg, err := k.sql()
	if err != nil {
		return "database: " + err.Error()
	}
	defer db.Close()
	var status, errText, created string
	var providerID, sentAt sql.NullString
	err = db.QueryRow(`SELECT status, error, provider_id, created_at, sent_at FROM messages WHERE id = `+arg, id).
		Scan(&status, &errText, &providerID, &created, &sentAt)
	var out string
	switch {
	case errors.Is(err, sql.ErrNoRows):
		out = "no such message stored"
	case err != nil:
		out = "database: " + err.Error()
	default:
		out = fmt.Sprintf("stored status %q, error %q, provider id %q, created %s, sent %q", status, errText,
			providerID.String, created, sentAt.String)
	}
	raw, err := os.ReadFile(filepath.Join(dir, simJournal))
	if err != nil {
		return out + "; journal: " + err.Error()
	}
	for i, line := range strings.Split(string(raw), "\n") {
		if strings.Contains(line, id) || (providerID.Valid && strings.Contains(line, providerID.String)) {
			out += fmt.Sprintf("; journal line %d: %q", i+1, line)
		}
	}
	return out
}
