package storetest

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testInboundListed: how far the inbound catch-up listed starts unknown,
// moves forward only (a slow round noting an earlier time changes
// nothing), and the stored provider ids are found among the messages and
// the unroutable texts, none of the others.
func testInboundListed(t *testing.T, st store.Store) {
	listedTo := func() time.Time {
		return get(t, st, func(ctx context.Context, tx store.Tx) (time.Time, error) { return tx.InboundListedTo(ctx) })
	}
	if got := listedTo(); !got.IsZero() {
		t.Fatalf("a new database listed to %v, want unknown (zero)", got)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.NoteInboundListed(ctx, at(2*time.Hour)) })
	if got := listedTo(); !got.Equal(at(2 * time.Hour)) {
		t.Fatalf("listed to %v, want %v", got, at(2*time.Hour))
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.NoteInboundListed(ctx, at(time.Hour)) })
	if got := listedTo(); !got.Equal(at(2 * time.Hour)) {
		t.Fatalf("after an earlier round noted: listed to %v, want %v still", got, at(2*time.Hour))
	}
	later := at(3*time.Hour + time.Nanosecond)
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.NoteInboundListed(ctx, later) })
	if got := listedTo(); !got.Equal(later) {
		t.Fatalf("listed to %v, want %v", got, later)
	}

	w := newWorld(t, st, "lst", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateMessage(ctx, store.Message{ID: "lst-in", ThreadID: th.ID, Direction: "in", Body: "yes",
			Status: "received", ProviderID: "SMlst1", CreatedAt: at(time.Hour)}); err != nil {
			return err
		}
		return tx.AddUnroutable(ctx, store.Unroutable{ID: "lst-u", ProviderID: "SMlst2", From: "+14155550100", To: w.Number,
			Body: "who?", ReceivedAt: at(time.Hour), CampaignID: w.Campaign.ID})
	})
	for _, ids := range [][]string{nil, {}, {"SMlst3"}, {"SMlst1", "SMlst2", "SMlst3", "SMlst1"}} {
		got := get(t, st, func(ctx context.Context, tx store.Tx) (map[string]bool, error) { return tx.StoredProviderIDs(ctx, ids) })
		want := map[string]bool{}
		for _, id := range ids {
			if id != "SMlst3" {
				want[id] = true
			}
		}
		if !maps.Equal(got, want) {
			t.Errorf("stored of %q: %v, want %v", ids, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
		}
	}
}
