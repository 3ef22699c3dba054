package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

const ourNumber = "+12025550100"

// TestRoutesReadAhead: a group's replies' routes read ahead in one
// statement answer RouteInbound with no round trip, and as a read at that
// moment would: a thread created for the number since, a provider id
// stored since, the thread's activity since, an opt-out written since (any
// write not known to leave routes alone) make the next RouteInbound read
// again and see it.
func TestRoutesReadAhead(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st) // thread k for +12125550101 from ourNumber
	phones := []string{"+12125550101", "+12125550102", "+12125550103"}
	later, later2 := t0.Add(time.Hour), t0.Add(2*time.Hour)
	err := st.Update(ctx, func(tx store.Tx) error {
		out := t0.Add(time.Minute)
		if err := tx.ThreadActivity(ctx, "k", out, nil, &out, &out); err != nil {
			return err
		}
		for i, id := range []string{"k2", "k3"} {
			th := store.Thread{ID: id, ActionID: "a", CampaignID: "c", OrganizationID: "o", OwnerID: "u",
				ContactPhone: phones[i+1], SendingNumber: ourNumber, LastMessageAt: out, LastOutboundAt: &out, CreatedAt: t0}
			if err := tx.CreateContact(ctx, store.Contact{ID: id, ActionID: "a", Phone: phones[i+1], CreatedAt: t0}); err != nil {
				return err
			}
			if err := tx.CreateThread(ctx, th); err != nil {
				return err
			}
		}
		// A second action, whose contact for the second phone is texted
		// in the group below: a newer thread for the same numbers.
		if err := tx.CreateAction(ctx, store.Action{ID: "a2", CampaignID: "c", Type: "p2p", Title: "A2", CreatorID: "u", CreatedAt: t0}); err != nil {
			return err
		}
		return tx.CreateContact(ctx, store.Contact{ID: "k4", ActionID: "a2", Phone: phones[1], CreatedAt: t0})
	})
	if err != nil {
		t.Fatal(err)
	}

	type prefetcher interface {
		PrefetchRoutes(ctx context.Context, keys []store.RouteKey) error
	}
	key := func(i int, pid string) store.RouteKey {
		return store.RouteKey{Phone: phones[i], Number: ourNumber, ProviderID: pid}
	}
	trips := postgres.CountRoundTrips(st)
	var got [5]store.InboundRoute
	var free int64 = -1 // round trips of the route answered ahead
	route := func(slot int, k store.RouteKey) func(store.Tx) error {
		return func(tx store.Tx) error {
			before := trips.Load()
			r, err := tx.RouteInbound(ctx, k.Phone, k.Number, k.ProviderID)
			if slot == 0 {
				free = trips.Load() - before
			}
			got[slot] = r
			return err
		}
	}
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{
		func(tx store.Tx) error {
			return tx.(prefetcher).PrefetchRoutes(ctx, []store.RouteKey{key(0, "SM0"), key(1, "SM1"), key(2, "SM2"), key(0, "SM9"), key(2, "SM7")})
		},
		route(0, key(0, "SM0")),
		func(tx store.Tx) error {
			return tx.CreateThread(ctx, store.Thread{ID: "k4", ActionID: "a2", CampaignID: "c", OrganizationID: "o", OwnerID: "u",
				ContactPhone: phones[1], SendingNumber: ourNumber, LastMessageAt: later, LastOutboundAt: &later, CreatedAt: later})
		},
		route(1, key(1, "SM1")),
		func(tx store.Tx) error {
			return tx.CreateMessage(ctx, store.Message{ID: "in2", ThreadID: "k3", Direction: "in", Body: "yes",
				Status: "received", ProviderID: "SM2", CreatedAt: later})
		},
		route(2, key(2, "SM2")),
		func(tx store.Tx) error {
			return tx.ThreadActivity(ctx, "k3", later2, &later2, nil, nil)
		},
		route(4, key(2, "SM7")),
		func(tx store.Tx) error {
			return tx.AddOptOut(ctx, store.OptOut{OrganizationID: "o", Phone: phones[0], Reason: "keyword: STOP", CreatedAt: later})
		},
		route(3, key(0, "SM9")),
	})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	for i, e := range errs {
		if e != nil {
			t.Fatalf("fn %d: %v", i, e)
		}
	}
	if free != 0 {
		t.Errorf("a route read ahead took %d round trips, want 0", free)
	}
	if r := got[0]; r.Thread.ID != "k" || r.OptedOut || r.Seen || r.Blocked || r.Archived {
		t.Errorf("route read ahead = %+v, want thread k, nothing set", r)
	}
	if r := got[1]; r.Thread.ID != "k4" {
		t.Errorf("after a newer thread for the number: route to %s, want k4", r.Thread.ID)
	}
	if r := got[2]; r.Thread.ID != "k3" || !r.Seen {
		t.Errorf("after its provider id was stored: route %s seen %v, want k3 seen", r.Thread.ID, r.Seen)
	}
	if r := got[3]; r.Thread.ID != "k" || !r.OptedOut {
		t.Errorf("after an opt-out: route %s opted out %v, want k opted out", r.Thread.ID, r.OptedOut)
	}
	if r := got[4]; r.Thread.ID != "k3" || !r.Thread.LastMessageAt.Equal(later2) {
		t.Errorf("after the thread's activity: route %s last message %v, want k3 at %v", r.Thread.ID, r.Thread.LastMessageAt, later2)
	}
}

// TestRoutesReadAheadSeeOutboundIDs: a route read ahead says whether its
// reply's provider id is stored, and the dispatcher's answers write
// provider ids too. One given to a text now, and one a text gives up for
// another, make the next answer a fresh read.
func TestRoutesReadAheadSeeOutboundIDs(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st) // thread k for +12125550101 from ourNumber, text m
	err := st.Update(ctx, func(tx store.Tx) error {
		out := t0.Add(time.Minute)
		if err := tx.ThreadActivity(ctx, "k", out, nil, &out, &out); err != nil {
			return err
		}
		return tx.SetMessageStatuses(ctx, []store.MessageStatus{{ID: "m", Status: "sending", ProviderID: "SMold"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	type prefetcher interface {
		PrefetchRoutes(ctx context.Context, keys []store.RouteKey) error
	}
	old := store.RouteKey{Phone: "+12125550101", Number: ourNumber, ProviderID: "SMold"}
	next := store.RouteKey{Phone: "+12125550101", Number: ourNumber, ProviderID: "SMnew"}
	var gotOld, gotNext store.InboundRoute
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{
		func(tx store.Tx) error { return tx.(prefetcher).PrefetchRoutes(ctx, []store.RouteKey{old, next}) },
		func(tx store.Tx) error {
			return tx.SetMessageStatuses(ctx, []store.MessageStatus{{ID: "m", Status: "sent", ProviderID: "SMnew", SentAt: &t0}})
		},
		func(tx store.Tx) (err error) {
			gotOld, err = tx.RouteInbound(ctx, old.Phone, old.Number, old.ProviderID)
			return err
		},
		func(tx store.Tx) (err error) {
			gotNext, err = tx.RouteInbound(ctx, next.Phone, next.Number, next.ProviderID)
			return err
		},
	})
	if err == nil {
		err = errors.Join(errs...)
	}
	if err != nil {
		t.Fatal(err)
	}
	if gotOld.Seen {
		t.Error("a provider id the text gave up still reads as stored")
	}
	if !gotNext.Seen {
		t.Error("a provider id given to a text since the routes were read reads as not stored")
	}
}
