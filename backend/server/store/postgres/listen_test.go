package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestListenFeedHearsTokenChanges: every token row deleted or changed, by
// the store or by hand, is announced to listeners with its hash (migration
// 0009's trigger); a TRUNCATE announces every token (an empty hash).
func TestListenFeedHearsTokenChanges(t *testing.T) {
	url := pgtest.MigratedURL(t)
	st := pgtest.OpenURL(t, url)
	seedText(t, st) // user u
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	err := st.Update(ctx, func(tx store.Tx) error {
		for _, h := range []string{"h1", "h2", "h3"} {
			if err := tx.CreateToken(ctx, h, "u", t0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	gone, listened := listenTokens(ctx, st)
	expect := func(want string) {
		t.Helper()
		select {
		case h := <-gone:
			if h != want {
				t.Fatalf("announced %q, want %q", h, want)
			}
		case <-ctx.Done():
			t.Fatalf("%q was never announced", want)
		}
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.DeleteToken(ctx, "h1") }); err != nil {
		t.Fatal(err)
	}
	expect("h1")
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.TouchToken(ctx, "h2", t0.Add(time.Hour)) }); err != nil {
		t.Fatal(err)
	}
	expect("h2")
	// A rename announces the user's tokens: servers cache the name with them.
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.RenameUser(ctx, "u", "Renamed") }); err != nil {
		t.Fatal(err)
	}
	heard := map[string]bool{}
	for range 2 {
		select {
		case h := <-gone:
			heard[h] = true
		case <-ctx.Done():
			t.Fatalf("the rename announced only %v, want h2 and h3", heard)
		}
	}
	if !heard["h2"] || !heard["h3"] {
		t.Fatalf("the rename announced %v, want h2 and h3 (in any order)", heard)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `TRUNCATE tokens`); err != nil {
		t.Fatal(err)
	}
	expect("")
	cancel()
	if err := <-listened; err != nil {
		t.Fatalf("ListenFeed ended with %v, want nil when its context ends", err)
	}
}

// TestListenFeedNoticesALostConnection: a quiet listener pings its
// connection and goes on listening while it answers; when its backend is
// gone, ListenFeed returns an error (the server then stops caching tokens
// and reconnects) instead of waiting on a dead connection.
func TestListenFeedNoticesALostConnection(t *testing.T) {
	defer postgres.SetListenCheck(50 * time.Millisecond)()
	url := pgtest.MigratedURL(t)
	st := pgtest.OpenURL(t, url)
	seedText(t, st)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.CreateToken(ctx, "h1", "u", t0) }); err != nil {
		t.Fatal(err)
	}
	gone, listened := listenTokens(ctx, st)
	// Several quiet checks, each a ping that found the connection alive.
	for postgres.QuietChecks(st) < 3 {
		select {
		case err := <-listened:
			t.Fatalf("the listener ended while quiet: %v", err)
		case <-ctx.Done():
			t.Fatalf("the listener made %d quiet checks in 20 s, want 3", postgres.QuietChecks(st))
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.DeleteToken(ctx, "h1") }); err != nil {
		t.Fatal(err)
	}
	select {
	case h := <-gone:
		if h != "h1" {
			t.Fatalf("announced %q, want h1", h)
		}
	case err := <-listened:
		t.Fatalf("the listener ended while quiet: %v", err)
	case <-ctx.Done():
		t.Fatal("after quiet checks, the listener no longer hears token changes")
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	// Every other backend of the test's database goes, the listener's
	// among them (its last query is a ping, so it cannot be told apart).
	if err := conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("found no backend to terminate")
	}
	select {
	case err := <-listened:
		if err == nil {
			t.Fatal("ListenFeed ended without an error when its connection died")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("5 s after its backend was terminated, ListenFeed still waits")
	}
}

// listenTokens runs st.ListenFeed until ctx ends and returns, once it
// listens, the token hashes it announces and, at its end, its error.
func listenTokens(ctx context.Context, st *postgres.Store) (<-chan string, <-chan error) {
	ready := make(chan struct{})
	gone := make(chan string, 16)
	listened := make(chan error, 1)
	go func() {
		listened <- st.ListenFeed(ctx, store.Listeners{Ready: func() { close(ready) }, Gone: func(h string) { gone <- h }})
	}()
	<-ready
	return gone, listened
}

// TestClaimInAGroupAnnouncesItsOwners: the dispatcher's claim, sent with
// its group's commit, announces each claimed text's owner to listeners
// itself (its feed rows are written by the statement, not by Go).
func TestClaimInAGroupAnnouncesItsOwners(t *testing.T) {
	st := pgtest.Open(t)
	seedText(t, st) // queued text m of thread k, owned by u
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	ready := make(chan struct{})
	poked := make(chan string, 16)
	listened := make(chan error, 1)
	go func() {
		listened <- st.ListenFeed(ctx, store.Listeners{Ready: func() { close(ready) }, Poke: func(u string) { poked <- u }})
	}()
	<-ready
	var claimed []store.Outgoing
	claim := claimFn(ctx, &claimed, nil)
	// The other fn writes nothing: only the claim can announce u.
	other := func(tx store.Tx) error { return nil }
	if errs, err := st.UpdateEach(ctx, []func(store.Tx) error{claim, other}); err != nil || errs[0] != nil {
		t.Fatalf("claim in a group: %v %v", err, errs)
	}
	if len(claimed) != 1 {
		t.Fatalf("claimed %+v, want m", claimed)
	}
	for u := ""; u != "u"; {
		select {
		case u = <-poked:
		case <-ctx.Done():
			t.Fatal("the claimed text's owner was never announced")
		}
	}
	cancel()
	<-listened
}
