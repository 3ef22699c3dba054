package cache_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	gosync "sync"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// endedVera is whose changes the kept outboxes of these tests hold.
var endedVera = cache.Ended{User: api.User{ID: "u1", Email: "vera@example.org"}, ServerURL: "https://tb.example.org"}

// rowCount counts a table's rows in the cache file of dir, read raw.
func rowCount(t *testing.T, dir, table string) int {
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

// KeepOnlyWaiting leaves a file with the volunteer's waiting changes and
// whose they are, nothing of the contacts: no contacts, threads, messages,
// assignments or campaigns, no name or number beside a change, no token,
// no refused change or read. Opened again, the cache pushes the changes
// and takes the server's answers for threads it no longer holds.
func TestKeepOnlyWaitingKeepsTheOutboxAlone(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	seed(t, c)
	if err := c.SaveSession(ctx, cache.Session{Token: "secret", User: endedVera.User, ServerURL: endedVera.ServerURL}); err != nil {
		t.Fatal(err)
	}
	answered := serverThread("k9", api.ActionP2P)
	answered.LastInboundAt = at(2)
	apply(t, c, change(t, 5, api.KindThread, "k9", answered),
		change(t, 6, api.KindMessage, "in1", api.Message{ID: "in1", ThreadID: "k9", Direction: api.DirInbound, Body: "Sure", CreatedAt: *at(2)}),
		change(t, 7, api.KindThread, "k8", serverThread("k8", api.ActionP2P)))
	if err := c.SendInitial(ctx, "a1", "k1", "msg1", "Hi Ada", *at(3)); err != nil {
		t.Fatal(err)
	}
	if err := c.MarkRead(ctx, "k9", *at(3)); err != nil {
		t.Fatal(err)
	}
	if err := c.Reply(ctx, "k9", "msg2", "Great, see you there", "", *at(4)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.HideThreads(ctx, api.Mutation{Type: api.MutBlock, Reason: "rude"}, []string{"k8"}, *at(6)); err != nil {
		t.Fatal(err)
	}
	if err := c.SendInitial(ctx, "a1", "k2", "msg3", "Hi Alan", *at(7)); err != nil {
		t.Fatal(err)
	}
	refused := pendingIDs(t, c)[4]
	if err := c.MarkRejected(ctx, refused.ID, api.RejectOptedOut, "Alan Turing has opted out"); err != nil {
		t.Fatal(err)
	}
	want := pendingIDs(t, c)
	if len(want) != 4 { // the first text, the read, the reply, the block
		t.Fatalf("%d waiting before, want 4", len(want))
	}

	done, err := c.KeepOnlyWaiting(ctx, endedVera)
	if !done || err != nil {
		t.Fatalf("KeepOnlyWaiting: %t, %v", done, err)
	}
	for _, table := range []string{"contacts", "threads", "messages", "assignments", "campaigns", "actions", "reports"} {
		if n := rowCount(t, dir, table); n != 0 {
			t.Errorf("%d %s rows kept", n, table)
		}
	}
	for _, p := range []string{"-wal", "-shm", ".kept"} {
		if _, err := os.Stat(filepath.Join(dir, cache.FileName+p)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there: %v", p, err)
		}
	}
	if err := c.SendInitial(ctx, "a1", "k2", "msg4", "Hi Alan", *at(8)); !errors.Is(err, cache.ErrWiped) {
		t.Errorf("a write to the replaced cache: %v, want ErrWiped", err)
	}

	kept, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer kept.Close()
	got := pendingIDs(t, kept)
	if len(got) != 3 {
		t.Fatalf("kept %d changes, want the first text, the reply and the block: %+v", len(got), got)
	}
	for i, j := range []int{0, 2, 3} {
		if got[i].ID != want[j].ID || got[i].Body != want[j].Body || got[i].Type != want[j].Type {
			t.Errorf("kept change %d is %+v, want %+v", i, got[i], want[j])
		}
	}
	rows, err := kept.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Rejected || r.ContactName != "" || r.ContactPhone != "" {
			t.Errorf("kept outbox row %+v: refused, or naming the contact", r)
		}
	}
	if _, ok, err := kept.LoadSession(ctx); ok || err != nil {
		t.Errorf("a session is still saved: %t, %v", ok, err)
	}
	if e, ok, err := kept.EndedSignIn(ctx); !ok || err != nil || e != endedVera {
		t.Errorf("the ended sign-in is %+v (%t, %v), want %+v", e, ok, err, endedVera)
	}

	// Signing in again pushes them; the answers concern threads gone.
	if err := kept.MarkApplied(ctx, []api.MutationResult{{ID: got[0].ID, Status: api.ResultApplied}, {ID: got[1].ID, Status: api.ResultApplied}}); err != nil {
		t.Fatalf("applied answers for threads not held: %v", err)
	}
	if err := kept.MarkRejected(ctx, got[2].ID, api.RejectNotAssigned, "not yours"); err != nil {
		t.Fatalf("a refusal of a block whose threads are not held: %v", err)
	}
	if n, err := kept.WaitingCount(ctx); n != 0 || err != nil {
		t.Errorf("%d still waiting (%v)", n, err)
	}
	if err := kept.SaveSession(ctx, cache.Session{Token: "new", User: endedVera.User, ServerURL: endedVera.ServerURL}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := kept.EndedSignIn(ctx); ok || err != nil {
		t.Errorf("signed in again, the sign-in is still ended (%v)", err)
	}
}

// A change queued while the outbox is kept is either in the kept file or
// refused with ErrWiped: none is lost without a word.
func TestKeepOnlyWaitingLosesNoChangeQueuedMeanwhile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	seed(t, c)
	apply(t, c, change(t, 5, api.KindThread, "k9", serverThread("k9", api.ActionP2P)))
	// Four writers reply until refused; the outbox is kept once some of
	// their replies are saved, while they go on.
	var mu gosync.Mutex
	var saved []string
	refused := 0
	enough := make(chan struct{})
	var once gosync.Once
	var wg gosync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				id := fmt.Sprintf("m%d-%d", w, i)
				err := c.Reply(ctx, "k9", id, "reply "+id, "", *at(i))
				mu.Lock()
				switch {
				case err == nil:
					saved = append(saved, "reply "+id)
					if len(saved) >= 20 {
						once.Do(func() { close(enough) })
					}
				case errors.Is(err, cache.ErrWiped):
					refused++
				default:
					t.Errorf("reply %s: %v, want nil or ErrWiped", id, err)
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	stopped := make(chan struct{})
	go func() { wg.Wait(); close(stopped) }()
	select {
	case <-enough:
	case <-stopped:
		t.Fatal("the writers stopped before 20 replies were saved")
	}
	done, err := c.KeepOnlyWaiting(ctx, endedVera)
	wg.Wait()
	if !done || err != nil {
		t.Fatalf("KeepOnlyWaiting: %t, %v", done, err)
	}
	if refused != 4 {
		t.Errorf("%d writers refused, want all 4", refused)
	}
	kept, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer kept.Close()
	have := map[string]bool{}
	for _, m := range pendingIDs(t, kept) {
		have[m.Body] = true
	}
	for _, body := range saved {
		if !have[body] {
			t.Errorf("%q was saved but is not in the kept outbox", body)
		}
	}
	if len(have) != len(saved) {
		t.Errorf("kept %d changes, %d were saved", len(have), len(saved))
	}
}

// A failure to write the kept file leaves the cache as it was, writable.
func TestKeepOnlyWaitingFailingKeepsTheCache(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	seed(t, c)
	// A directory where the kept file would go: it cannot be made.
	if err := os.Mkdir(c.Path()+".kept", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.Path()+".kept", "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if done, err := c.KeepOnlyWaiting(ctx, endedVera); done || err == nil {
		t.Fatalf("KeepOnlyWaiting with nowhere to write: %t, %v", done, err)
	}
	if err := c.SendInitial(ctx, "a1", "k1", "msg1", "Hi Ada", *at(1)); err != nil {
		t.Errorf("a write after the failure: %v", err)
	}
	if n := len(pendingIDs(t, c)); n != 1 {
		t.Errorf("%d waiting, want 1", n)
	}
}
