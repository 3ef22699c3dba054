package cache_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

// A search gives the same answer whether the filter's newest threads hold a
// page of matches (the window) or only the full-text index finds them, and
// follows renames and deletes.
func TestSearchAtScale(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	var changes []api.Change
	names := []string{"Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra"}
	for i := range 1500 {
		th := serverThread(fmt.Sprintf("%04d", i), api.ActionP2P)
		th.ContactName = names[i%len(names)]
		th.ContactPhone = fmt.Sprintf("+1555%07d", i)
		th.LastMessageAt = t0.Add(time.Duration(i) * time.Minute)
		changes = append(changes, change(t, int64(i+1), api.KindThread, th.ID, th))
	}
	// The oldest thread has a name nobody else has: only the index finds it.
	rare := serverThread("rare", api.ActionP2P)
	rare.ContactName, rare.ContactPhone, rare.LastMessageAt = "Barbara Liskov", "+15559990000", t0.Add(-time.Hour)
	changes = append(changes, change(t, 2000, api.KindThread, rare.ID, rare))
	apply(t, c, changes...)

	ids := func(q cache.ThreadQuery) []string {
		t.Helper()
		rows, err := c.Threads(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	// A quarter of all threads match: a two-letter query fills the page
	// from the window, longer ones by walking the list against the index's
	// candidates; all newest first.
	for _, q := range []string{"ov", "ove", "ovel"} {
		got := ids(cache.ThreadQuery{Filter: inbox.All, Search: q})
		if len(got) != 50 || got[0] != "1496" || got[1] != "1492" || got[49] != "1300" {
			t.Fatalf("%s: %d rows starting %v", q, len(got), got[:min(3, len(got))])
		}
	}
	// Paging deep walks further and agrees.
	far := ids(cache.ThreadQuery{Filter: inbox.All, Search: "ovel", Offset: 350, Limit: 25})
	if len(far) != 25 || far[0] != fmt.Sprintf("%04d", 1496-4*350) {
		t.Fatalf("ovel page at 350: %v", far)
	}
	for _, q := range []string{"iskov", "barbara l", "LISK", "999 0000", "9990000"} {
		if got := ids(cache.ThreadQuery{Filter: inbox.All, Search: q}); !slices.Equal(got, []string{"rare"}) {
			t.Errorf("search %q = %v, want [rare]", q, got)
		}
	}
	if got := ids(cache.ThreadQuery{Filter: inbox.Unread, Search: "liskov"}); len(got) != 0 {
		t.Errorf("liskov under Unread = %v, want none (never replied)", got)
	}

	// A rename re-indexes; a delete un-indexes.
	rare.ContactName = "Barbara Jones"
	apply(t, c, change(t, 2001, api.KindThread, rare.ID, rare))
	if got := ids(cache.ThreadQuery{Filter: inbox.All, Search: "liskov"}); len(got) != 0 {
		t.Errorf("old name still found: %v", got)
	}
	if got := ids(cache.ThreadQuery{Filter: inbox.All, Search: "jones"}); !slices.Equal(got, []string{"rare"}) {
		t.Errorf("new name: %v", got)
	}
	apply(t, c, api.Change{Version: 2002, Kind: api.KindThread, ID: rare.ID, Deleted: true})
	if got := ids(cache.ThreadQuery{Filter: inbox.All, Search: "jones"}); len(got) != 0 {
		t.Errorf("deleted thread still found: %v", got)
	}
}

// A cache whose threads predate the search index (as after migration 0002
// on an existing cache) is indexed when opened.
func TestSearchIndexBuiltForExistingThreads(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	th := serverThread("1", api.ActionP2P)
	th.ContactName = "Ada Lovelace"
	apply(t, c, change(t, 1, api.KindThread, th.ID, th))
	c.Close()

	raw, err := sql.Open("sqlite3", filepath.Join(dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM thread_search; UPDATE meta SET value = 'rebuild' WHERE key = 'search_index'`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	c, err = cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.All, Search: "ovela"})
	if err != nil || len(rows) != 1 || rows[0].ID != "1" {
		t.Fatalf("search after rebuild: %+v, %v", rows, err)
	}
}
