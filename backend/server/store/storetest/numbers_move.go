package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testMoveSendingNumber: a number moved out of an (archived) campaign's
// pool into another's belongs to the new pool, where only the new
// campaign's volunteers count on it; the old campaign's volunteers keep it
// for their conversations, and a reply still reaches the thread last
// texted from it.
func testMoveSendingNumber(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	old := newWorld(t, st, "mvold", 1)
	th := old.thread(t, st, 0, old.Volunteer.ID)
	texted := at(2 * time.Minute)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if _, err := tx.AssignSendingNumber(ctx, old.Campaign.ID, old.Volunteer.ID, t0); err != nil {
			return err
		}
		return tx.ThreadActivity(ctx, th.ID, texted, nil, &texted, &texted)
	})
	next := store.Campaign{ID: "mvnext", OrganizationID: old.Org.ID, Name: "Next season", JoinCode: "999003", Active: true, CreatedAt: t0}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateCampaign(ctx, next); err != nil {
			return err
		}
		return tx.MoveSendingNumber(ctx, old.Number, next.ID)
	})
	if c := get(t, st, func(ctx context.Context, tx store.Tx) (string, error) {
		return tx.SendingNumberCampaign(ctx, old.Number)
	}); c != next.ID {
		t.Fatalf("SendingNumberCampaign after the move = %q, want %s", c, next.ID)
	}
	list := func(campaignID string) []store.SendingNumberInfo {
		return get(t, st, func(ctx context.Context, tx store.Tx) ([]store.SendingNumberInfo, error) {
			return tx.ListSendingNumbers(ctx, campaignID)
		})
	}
	if l := list(old.Campaign.ID); len(l) != 0 {
		t.Fatalf("the old pool still lists %+v", l)
	}
	if l := list(next.ID); len(l) != 1 || l[0].Phone != old.Number || l[0].Volunteers != 0 {
		t.Fatalf("the new pool = %+v, want the number with none of its volunteers", l)
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (string, error) {
		return tx.SendingNumber(ctx, old.Campaign.ID, old.Volunteer.ID)
	}); n != old.Number {
		t.Fatalf("the old campaign's volunteer's number = %q, want %s kept", n, old.Number)
	}
	var assigned string
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		assigned, err = tx.AssignSendingNumber(ctx, next.ID, old.Admin.ID, at(time.Hour))
		return err
	})
	if assigned != old.Number {
		t.Fatalf("AssignSendingNumber in the new campaign = %q, want %s", assigned, old.Number)
	}
	if l := list(next.ID); len(l) != 1 || l[0].Volunteers != 1 {
		t.Fatalf("the new pool after an assignment = %+v, want 1 volunteer", l)
	}
	r := get(t, st, func(ctx context.Context, tx store.Tx) (store.InboundRoute, error) {
		return tx.RouteInbound(ctx, old.Contacts[0].Phone, old.Number, "SMmoved")
	})
	if r.Thread.ID != th.ID || r.Thread.CampaignID != old.Campaign.ID {
		t.Fatalf("a reply after the move went to thread %s of %s, want %s", r.Thread.ID, r.Thread.CampaignID, th.ID)
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.MoveSendingNumber(ctx, "+10000000000", next.ID) }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("moving a number not ours: %v, want ErrNotFound", err)
	}
}
