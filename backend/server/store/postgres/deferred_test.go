package postgres_test

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestDeferredReadsRideTogether: in a read transaction, reads by ids made
// between DeferReads and FlushReads go out in one round trip, and the maps
// they answered are filled by FlushReads (the sync's loader relies on
// both); afterwards reads are answered at once again.
func TestDeferredReadsRideTogether(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st) // thread k, message m
	type batcher interface {
		DeferReads()
		FlushReads(ctx context.Context) error
	}
	trips := postgres.CountRoundTrips(st)
	err := st.View(ctx, func(tx store.Tx) error {
		if _, err := tx.FeedAfter(ctx, "u", 0, 10); err != nil { // BEGIN goes with it
			return err
		}
		before := trips.Load()
		tx.(batcher).DeferReads()
		threads, err := tx.ThreadsByIDs(ctx, []string{"k", "gone"})
		if err != nil {
			return err
		}
		msgs, err := tx.MessagesByIDs(ctx, []string{"m"})
		if err != nil {
			return err
		}
		likely, err := tx.LikelyOptOuts(ctx, []string{"m"})
		if err != nil {
			return err
		}
		if n := trips.Load() - before; n != 0 || len(threads) != 0 || len(msgs) != 0 {
			t.Fatalf("deferred reads: %d round trips and %d threads, %d messages before FlushReads, want none", n, len(threads), len(msgs))
		}
		if err := tx.(batcher).FlushReads(ctx); err != nil {
			return err
		}
		if n := trips.Load() - before; n != 1 {
			t.Fatalf("three deferred reads took %d round trips, want 1", n)
		}
		if threads["k"].ID != "k" || len(threads) != 1 || msgs["m"].ThreadID != "k" || len(likely) != 0 {
			t.Fatalf("after FlushReads: threads %v, messages %v, likely opt-outs %v; want thread k and message m", threads, msgs, likely)
		}
		again, err := tx.ThreadsByIDs(ctx, []string{"k"})
		if err != nil {
			return err
		}
		if n := trips.Load() - before; n != 2 || again["k"].ID != "k" {
			t.Fatalf("a read after FlushReads: %d round trips in all, thread %v; want 2 and k at once", n, again)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
