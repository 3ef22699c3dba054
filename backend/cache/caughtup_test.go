package cache_test

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// TestCaughtUpOnlyAtTheFeedsEnd: a first pull is complete only once a page
// with no more after it is applied; a page with more leaves the cache not
// caught up, across closing and opening it (an app quit mid-pull).
func TestCaughtUpOnlyAtTheFeedsEnd(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() }) // the last one opened
	caughtUp := func(want bool, when string) {
		t.Helper()
		if up, err := c.CaughtUp(ctx); err != nil || up != want {
			t.Fatalf("%s: caught up %v, %v; want %v", when, up, err, want)
		}
	}
	caughtUp(false, "new cache")
	if _, err := c.ApplyPage(ctx, api.SyncResponse{Cursor: 5, More: true}); err != nil {
		t.Fatal(err)
	}
	caughtUp(false, "after a page with more")
	c.Close()
	if c, err = cache.Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	caughtUp(false, "reopened after a page with more")
	if _, err := c.ApplyPage(ctx, api.SyncResponse{Cursor: 9}); err != nil {
		t.Fatal(err)
	}
	caughtUp(true, "after the last page")
	c.Close()
	if c, err = cache.Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	caughtUp(true, "reopened after the last page")
}

// TestUpgradedCacheThatPulledIsCaughtUp: a cache an older app pulled into
// (a cursor, no record of its first pull) is caught up after the upgrade,
// so the replies of its next pull are news; one that never pulled is not.
func TestUpgradedCacheThatPulledIsCaughtUp(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		rows []string
		want bool
	}{
		{"pulled before", []string{`INSERT INTO meta(key, value) VALUES ('cursor', '42')`}, true},
		{"never pulled", nil, false},
		{"cursor at zero", []string{`INSERT INTO meta(key, value) VALUES ('cursor', '0')`}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := cache.Open(ctx, oldCache(t, 17, tc.rows...))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if up, err := c.CaughtUp(ctx); err != nil || up != tc.want {
				t.Fatalf("caught up %v, %v; want %v", up, err, tc.want)
			}
		})
	}
}
