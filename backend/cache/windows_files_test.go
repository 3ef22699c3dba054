package cache_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/cache"
)

// Windows refuses to delete or rename over a file a handle holds open, and
// database/sql's Close leaves a connection in use open until it is given
// back. An ended sign-in while the window was reading failed there, and
// the old file, contacts and all, was opened again as the new cache. Close
// now waits for that read to end before a file is touched.
func TestKeepOnlyWaitingWaitsForAReadUnderWay(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	seed(t, c)
	if err := c.SendInitial(ctx, "a1", "k1", "msg1", "Hi Ada", *at(3)); err != nil {
		t.Fatal(err)
	}
	release := HoldReadFor(t, c)
	done, err := c.KeepOnlyWaiting(ctx, endedVera)
	release() // without the wait, still open
	if !done || err != nil {
		t.Fatalf("KeepOnlyWaiting with a read under way: %t, %v", done, err)
	}
	if n := rowCount(t, dir, "contacts"); n != 0 {
		t.Errorf("%d contacts left in the cache file", n)
	}
	kept, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer kept.Close()
	if n, err := kept.WaitingCount(ctx); n != 1 || err != nil {
		t.Errorf("kept %d waiting changes (%v), want the first text", n, err)
	}
}

// So does a sign-out's wipe.
func TestWipeWaitsForAReadUnderWay(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	seed(t, c)
	release := HoldReadFor(t, c)
	err = c.Wipe(ctx)
	release()
	if err != nil {
		t.Fatalf("Wipe with a read under way: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Fatalf("files left after the wipe: %v", left)
	}
}

// HoldReadFor holds a read open on c and makes its files refuse deletion
// while it is (cache.WindowsFiles); the read ends when Close waits for it.
// The returned func ends it if Close never did.
func HoldReadFor(t *testing.T, c *cache.Cache) func() {
	t.Helper()
	release := cache.HoldRead(t, c)
	cache.WindowsFiles(t, c, release)
	return release
}

// A read that never ends (rows left open: a bug) holds Close only so long:
// the quit or sign-out goes on, and the wipe deletes what the system lets it.
func TestCloseDoesNotWaitForEverForARead(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	seed(t, c)
	release := cache.HoldRead(t, c)
	defer release()
	cache.ShortCloseWait(t, 50*time.Millisecond)
	if err := c.Wipe(ctx); err != nil {
		t.Fatalf("Wipe with a read that never ends: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Fatalf("files left after the wipe: %v", left)
	}
}
