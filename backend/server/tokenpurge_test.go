package server_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestEndedSignInsArePurged: a token that ended and is never presented
// again used to stay in the database for good (deleted only when
// presented). The background purge deletes one ended by the idle limit
// and one ended by the lifetime (used within the idle limit), and keeps a
// live one; the purged token's cache entry goes with it, and its event
// stream ends then (its own end-of-token timer and keep-alive are far
// away here), as at a sign-out.
func TestEndedSignInsArePurged(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{ping: time.Minute})
	ctx := context.Background()
	const day = 24 * time.Hour
	idle, _ := f.user("ida")
	if _, err := idle.Me(ctx); err != nil { // cached now
		t.Fatal(err)
	}
	ls := openStream(t, idle)
	lifetime, _ := f.user("liv")
	// liv's sign-in is used every 20 days: at 91 days since its sign-in
	// its last use is 11 days old.
	for range 4 {
		f.clock.Advance(20 * day)
		if _, err := lifetime.Me(ctx); err != nil {
			t.Fatal(err)
		}
	}
	live, _ := f.user("lou")
	f.clock.Advance(11 * day)
	cached := f.srv.TokenCached(f.token(idle))

	pctx, stop := context.WithCancel(ctx)
	purged := make(chan struct{})
	go func() { f.srv.RunTokenPurges(pctx, time.Hour); close(purged) }()
	t.Cleanup(func() { stop(); <-purged })
	ls.wantEnded(t, 2*time.Second, "after its token was purged")

	exists := func(token string) bool {
		err := f.st.View(ctx, func(tx store.Tx) error { _, err := tx.UserByToken(ctx, tokenHash(token)); return err })
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	for deadline := time.Now().Add(2 * time.Second); exists(f.token(lifetime)) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if exists(f.token(idle)) || exists(f.token(lifetime)) {
		t.Errorf("after the purge: the idle sign-in's token kept %v, the sign-in past its lifetime's %v; want both deleted",
			exists(f.token(idle)), exists(f.token(lifetime)))
	}
	if !exists(f.token(live)) {
		t.Error("the live sign-in's token was purged")
	}
	if cached && f.srv.TokenCached(f.token(idle)) {
		t.Error("the purged token is still in the token cache")
	}
	f.wantMe(f.token(idle), http.StatusUnauthorized, api.CodeUnauthorized)
	f.wantMe(f.token(live), http.StatusOK, "")
}
