package server_test

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

func TestBatchesAndRelease(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{batch: 3, contacts: 7, numbers: 3})
	// One contact's number is opted out of the organization: never assigned.
	f.update(func(tx store.Tx) error {
		return tx.AddOptOut(ctx, store.OptOut{OrganizationID: f.org.ID, Phone: cf.contacts[6].Phone, Reason: "test", CreatedAt: baseTime})
	})
	vera, _ := f.member("vera", cf)
	walt, _ := f.member("walt", cf)
	outsider, _ := f.user("outsider")

	t.Run("non-member is answered as for no such action", func(t *testing.T) {
		_, err := outsider.Batch(ctx, cf.action.ID)
		wantAPIError(t, err, 404, api.CodeNotFound)
	})
	t.Run("unknown action is not found", func(t *testing.T) {
		_, err := vera.Batch(ctx, "no-such-action")
		wantAPIError(t, err, 404, api.CodeNotFound)
	})

	first, err := vera.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	// 7 contacts, 3 handed out, 1 opted out (never handed out: not counted).
	if len(first.Assigned) != 3 || first.Remaining != 3 {
		t.Fatalf("first batch: %d assigned, %d remaining; want 3 and 3", len(first.Assigned), first.Remaining)
	}
	t.Run("unsent contacts come back instead of more", func(t *testing.T) {
		again, err := vera.Batch(ctx, cf.action.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Assigned) != 3 || again.Assigned[0].ContactID != first.Assigned[0].ContactID {
			t.Fatalf("second batch = %+v, want the same 3", again.Assigned)
		}
	})
	t.Run("assignments are in sync", func(t *testing.T) {
		state := syncState{}
		syncAll(t, vera, state, 0, 0)
		if n := state.count(api.KindAssignment); n != 3 {
			t.Fatalf("%d assignments synced, want 3", n)
		}
	})
	t.Run("release returns unsent contacts", func(t *testing.T) {
		res, _ := sendInitial(t, vera, first.Assigned[0].ContactID)
		wantApplied(t, res)
		rel, err := vera.Release(ctx, cf.action.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rel.Released != 2 {
			t.Fatalf("released %d, want 2", rel.Released)
		}
		// The server handed these out to vera (and remembers them so):
		// released, they are hers no longer.
		res, _ = sendInitial(t, vera, first.Assigned[1].ContactID)
		wantRejected(t, res, api.RejectNotAssigned)
		state := syncState{}
		syncAll(t, vera, state, 0, 0)
		if n := state.count(api.KindAssignment); n != 0 {
			t.Fatalf("%d assignments left in sync after release, want 0", n)
		}
		if n := state.count(api.KindThread); n != 1 {
			t.Fatalf("%d threads, want 1", n)
		}
	})
	t.Run("pool drains then says no contacts left", func(t *testing.T) {
		got := 0
		for range 10 {
			b, err := walt.Batch(ctx, cf.action.ID)
			if api.IsCode(err, api.CodePoolEmpty) {
				wantAPIError(t, err, 409, api.CodePoolEmpty)
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range b.Assigned {
				if a.Phone == cf.contacts[6].Phone {
					t.Fatalf("opted-out contact %s was assigned", a.Phone)
				}
				res, _ := sendInitial(t, walt, a.ContactID)
				wantApplied(t, res)
				got++
			}
		}
		// 7 contacts, one opted out, one texted by vera.
		if got != 5 {
			t.Fatalf("walt texted %d, want 5", got)
		}
	})
}
