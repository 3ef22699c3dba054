package server_test

import (
	"context"
	"sync"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// countedLists counts the SupersededFeed reads of each user.
type countedLists struct {
	store.Store
	mu    sync.Mutex
	reads map[string]int
}

func (c *countedLists) View(ctx context.Context, fn func(store.Tx) error) error {
	return c.Store.View(ctx, func(tx store.Tx) error { return fn(countedListsTx{Tx: tx, c: c}) })
}

type countedListsTx struct {
	store.Tx
	c *countedLists
}

func (x countedListsTx) SupersededFeed(ctx context.Context, userID string, limit int) ([]int64, error) {
	x.c.mu.Lock()
	x.c.reads[userID]++
	x.c.mu.Unlock()
	return x.Tx.SupersededFeed(ctx, userID, limit)
}

// TestCompactFeedReadsEachFeedOnce: the list of a user's superseded rows
// is read once for all its deletes, however many writes they take. Each
// read walks the user's whole feed (0.4 s for 150,000 rows on SQLite),
// and the pass read it again for every 1,000 rows it deleted: a feed with
// 60,000 to delete was walked 60 times.
func TestCompactFeedReadsEachFeedOnce(t *testing.T) {
	counted := &countedLists{reads: map[string]int{}}
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store {
		counted.Store = st
		return counted
	}})
	ctx := context.Background()
	_, vera, u, b := f.texting("vera", campaignOpts{contacts: 2, numbers: 1, batch: 1})
	res, msgID := sendInitial(t, vera, b.Assigned[0].ContactID)
	wantApplied(t, res)
	f.drain()
	// 2,500 rows of the sent text older than its newest: three writes'
	// worth (1,000 rows a write).
	const superseded = 2500
	f.update(func(tx store.Tx) error {
		for range superseded + 1 {
			if _, err := tx.AppendFeed(ctx, u.ID, api.KindMessage, msgID, f.clock.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	n, err := f.srv.CompactFeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n < superseded {
		t.Errorf("compaction deleted %d rows, want at least %d", n, superseded)
	}
	if got := counted.reads[u.ID]; got != 1 {
		t.Errorf("vera's superseded rows were listed %d times in one pass, want once", got)
	}
	// Nothing left: a second pass deletes nothing.
	if n, err := f.srv.CompactFeed(ctx); err != nil || n != 0 {
		t.Errorf("second pass deleted %d rows (%v), want 0", n, err)
	}
}
