package cache

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
)

// A sync page hands its new threads' values to the search index instead of
// the index reading them back. Those values must count only if they are
// what the table holds after the write: not after a rollback, and not once
// the same transaction wrote the row again.
func TestSearchTakesHandedOverRowsOnlyWhenTheyHold(t *testing.T) {
	ctx := context.Background()
	c, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	<-c.search.ready
	at := time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)
	insert := func(tx *sql.Tx, id, name string) error {
		b := newBatch(tx)
		b.index = c.search
		defer b.close()
		th := api.Thread{ID: id, ActionID: "a1", CampaignID: "c1", ActionType: api.ActionP2P, ContactName: name,
			ContactPhone: "+12025550101", LastMessageAt: at}
		return b.insertThread(ctx, th, []byte("{}"), true, derived{lastMessageAt: at.UnixNano()})
	}
	found := func(search string) []string {
		t.Helper()
		rows, err := c.Threads(ctx, ThreadQuery{Filter: inbox.All, Search: search})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
		return ids
	}

	// Rolled back: the row is not there, whatever was handed over.
	failed := errors.New("the page failed after its inserts")
	if err := c.write(ctx, func(tx *sql.Tx) error {
		if err := insert(tx, "t1", "Ada Lovelace"); err != nil {
			return err
		}
		return failed
	}); !errors.Is(err, failed) {
		t.Fatalf("write: %v", err)
	}
	if got := found("lovel"); len(got) != 0 {
		t.Fatalf("a rolled-back insert is found: %v", got)
	}
	// (SQL re-reads a search's page, so look in the index itself too: a
	// ghost there would take a place in a page of results.)
	c.search.mu.RLock()
	for slot, r := range c.search.rows {
		if r.live && r.id == "t1" {
			t.Errorf("the index holds the rolled-back thread at %d", slot)
		}
	}
	c.search.mu.RUnlock()

	// Written again in the same transaction: the table's name counts.
	if err := c.write(ctx, func(tx *sql.Tx) error {
		if err := insert(tx, "t2", "Grace Hopper"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE threads SET contact_name = 'Grace Brewster' WHERE id = 't2'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got, old := found("brewst"), found("hopper"); !slices.Equal(got, []string{"t2"}) || len(old) != 0 {
		t.Fatalf("after a rename in the same transaction: %v by the new name, %v by the old", got, old)
	}

	// Committed and not written again: found by what was handed over.
	if err := c.write(ctx, func(tx *sql.Tx) error { return insert(tx, "t3", "Alan Turing") }); err != nil {
		t.Fatal(err)
	}
	if got := found("turin"); !slices.Equal(got, []string{"t3"}) {
		t.Fatalf("a committed insert: %v", got)
	}
}
