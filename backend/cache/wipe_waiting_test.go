package cache_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// WipeIfNothingWaiting keeps a cache with a change waiting to be sent, and
// wipes one without, refusing writes from then on: a click at the moment
// of the wipe is refused, never wiped unsent.
func TestWipeIfNothingWaiting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	seed(t, c)
	if err := c.SendInitial(ctx, "a1", "k1", "msg1", "Hi Ada", *at(1)); err != nil {
		t.Fatal(err)
	}
	if wiped, err := c.WipeIfNothingWaiting(ctx); wiped || err != nil {
		t.Fatalf("a cache with a text waiting: wiped %t, %v", wiped, err)
	}
	if n, err := c.WaitingCount(ctx); n != 1 || err != nil {
		t.Fatalf("after keeping it, %d waiting (%v), want the text", n, err)
	}
	// The server takes it.
	if err := c.MarkApplied(ctx, []api.MutationResult{{ID: pendingIDs(t, c)[0].ID, Status: api.ResultApplied}}); err != nil {
		t.Fatal(err)
	}
	if wiped, err := c.WipeIfNothingWaiting(ctx); !wiped || err != nil {
		t.Fatalf("a cache with nothing waiting: wiped %t, %v", wiped, err)
	}
	if _, err := os.Stat(c.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cache file is still there: %v", err)
	}
	if err := c.SendInitial(ctx, "a1", "k2", "msg2", "Hi Alan", *at(2)); !errors.Is(err, cache.ErrWiped) {
		t.Errorf("a write after the wipe: %v, want ErrWiped", err)
	}
}
