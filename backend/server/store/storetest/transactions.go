package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var transactionTests = []test{
	{"tx/an update that fails stores nothing", testUpdateRollsBack},
	{"tx/update each undoes only the failing function", testUpdateEach},
	{"tx/ping", testPing},
}

var mutationTests = []test{
	{"mutations/round trip and duplicate id", testMutationRoundTrip},
	{"mutations/one id applied once by racing pushes", testMutationRace},
}

var errBoom = errors.New("boom")

func testUpdateRollsBack(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	err := st.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateUser(ctx, store.User{ID: "gone", Name: "G", Email: "gone@example.org", CreatedAt: t0}); err != nil {
			return err
		}
		// The transaction sees its own write...
		if _, err := tx.UserByID(ctx, "gone"); err != nil {
			return fmt.Errorf("own write not visible: %w", err)
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	// ...and nobody else ever does.
	err = st.View(ctx, func(tx store.Tx) error { _, err := tx.UserByID(ctx, "gone"); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("user of a failed update: %v, want ErrNotFound", err)
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountUsers(ctx) }); n != 0 {
		t.Fatalf("CountUsers = %d after a failed update, want 0", n)
	}
}

func testUpdateEach(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	mk := func(id string, fail bool) func(store.Tx) error {
		return func(tx store.Tx) error {
			if err := tx.CreateUser(ctx, store.User{ID: id, Name: id, Email: id + "@example.org", CreatedAt: t0}); err != nil {
				return err
			}
			if _, err := tx.AppendFeed(ctx, id, "settings", id, t0); err != nil {
				return err
			}
			if fail {
				return errBoom
			}
			return nil
		}
	}
	dupEmail := func(tx store.Tx) error {
		// A store error (not the function's own) undoes only this one too.
		return tx.CreateUser(ctx, store.User{ID: "e2", Name: "x", Email: "E1@example.org", CreatedAt: t0})
	}
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{mk("e1", false), mk("e2", true), dupEmail, mk("e3", false)})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	if len(errs) != 4 || errs[0] != nil || !errors.Is(errs[1], errBoom) || !errors.Is(errs[2], store.ErrEmailTaken) || errs[3] != nil {
		t.Fatalf("errs = %v, want [nil boom email-taken nil]", errs)
	}
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		for id, want := range map[string]bool{"e1": true, "e2": false, "e3": true} {
			_, err := tx.UserByID(ctx, id)
			if got := err == nil; got != want {
				t.Errorf("user %s stored = %v, want %v (%v)", id, got, want, err)
			}
			rows, err := tx.FeedAfter(ctx, id, 0, 10)
			if err != nil {
				return err
			}
			if got := len(rows) == 1; got != want {
				t.Errorf("feed of %s has %d rows, want stored=%v", id, len(rows), want)
			}
		}
		return nil
	})
	// One function alone fails whole; the next call works.
	errs, err = st.UpdateEach(ctx, []func(store.Tx) error{mk("e4", true)})
	if err != nil || len(errs) != 1 || !errors.Is(errs[0], errBoom) {
		t.Fatalf("UpdateEach of one failing = %v, %v", errs, err)
	}
	errs, err = st.UpdateEach(ctx, []func(store.Tx) error{mk("e4", false)})
	if err != nil || errs[0] != nil {
		t.Fatalf("UpdateEach after a failure = %v, %v", errs, err)
	}
}

func testPing(t *testing.T, st store.Store) {
	if err := st.Ping(ctxT(t)); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func testMutationRoundTrip(t *testing.T, st store.Store) {
	u := addUser(t, st, "mutant")
	fp := sha256.Sum256([]byte("the content"))
	m := store.Mutation{ID: "mut-1", UserID: u.ID, Type: "send_initial", Fingerprint: fp[:], CreatedAt: at(3 * time.Second),
		Result: store.MutationResult{ID: "mut-1", Status: "rejected", Code: "script_changed", Reason: "the script changed", Body: "Hi Ann"}}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.PutMutation(ctx, m) })
	got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Mutation, error) { return tx.MutationByID(ctx, m.ID) })
	if got.ID != m.ID || got.UserID != m.UserID || got.Type != m.Type || got.Result != m.Result || !got.CreatedAt.Equal(m.CreatedAt) ||
		!bytes.Equal(got.Fingerprint, m.Fingerprint) {
		t.Fatalf("mutation round trip:\n got %+v\nwant %+v", got, m)
	}
	// Without a fingerprint (a mutation recorded before they were kept
	// reads the same): none comes back, not an empty one.
	bare := store.Mutation{ID: "mut-bare", UserID: u.ID, Type: "read", CreatedAt: at(3 * time.Second),
		Result: store.MutationResult{ID: "mut-bare", Status: "applied"}}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.PutMutation(ctx, bare) })
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Mutation, error) { return tx.MutationByID(ctx, bare.ID) }); got.Fingerprint != nil {
		t.Fatalf("mutation without a fingerprint read back with %x", got.Fingerprint)
	}
	ctx := ctxT(t)
	again := m
	again.Result.Status = "applied"
	err := st.Update(ctx, func(tx store.Tx) error { return tx.PutMutation(ctx, again) })
	if !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("second PutMutation of one id: %v, want ErrDuplicate", err)
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Mutation, error) { return tx.MutationByID(ctx, m.ID) }); got.Result != m.Result {
		t.Fatalf("stored result changed to %+v", got.Result)
	}
	err = st.View(ctx, func(tx store.Tx) error { _, err := tx.MutationByID(ctx, "never"); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown mutation: %v, want ErrNotFound", err)
	}
}

// testMutationRace pushes one mutation id from 8 goroutines the way the
// server applies it: look the id up, apply the effect, record the id, all
// in one transaction. The effect (a feed row) must exist exactly once; a
// push that lost the race fails with ErrDuplicate and leaves nothing.
func testMutationRace(t *testing.T, st store.Store) {
	u := addUser(t, st, "pusher")
	ctx := ctxT(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	applied := 0
	for i := range 8 {
		wg.Go(func() {
			err := st.Update(ctx, func(tx store.Tx) error {
				_, err := tx.MutationByID(ctx, "same")
				if err == nil {
					return nil // already applied: answer the stored result
				}
				if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				if _, err := tx.AppendFeed(ctx, u.ID, "message", fmt.Sprintf("effect-%d", i), t0); err != nil {
					return err
				}
				if err := tx.PutMutation(ctx, store.Mutation{ID: "same", UserID: u.ID, Type: "read", CreatedAt: t0,
					Result: store.MutationResult{ID: "same", Status: "applied"}}); err != nil {
					return err
				}
				mu.Lock()
				applied++
				mu.Unlock()
				return nil
			})
			if err != nil && !errors.Is(err, store.ErrDuplicate) {
				t.Errorf("push %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	rows := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.FeedRow, error) {
		return tx.FeedAfter(ctx, u.ID, 0, 100)
	})
	if len(rows) != 1 {
		t.Fatalf("the mutation's effect is stored %d times, want once: %v", len(rows), rows)
	}
	if applied < 1 {
		t.Fatalf("no push applied the mutation")
	}
}
