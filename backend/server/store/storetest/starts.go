package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testStartsOf: for each number asked of, its newest open START and newest
// reviewed one in the campaign, whatever their number; another campaign's
// and a number not asked of are left out, and a number with none has no
// entry.
func testStartsOf(t *testing.T, st store.Store) {
	w := newWorld(t, st, "so-", 3)
	other := newWorld(t, st, "so-other-", 0)
	p := func(i int) string { return w.Contacts[i].Phone }
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, o := range []store.OptIn{
			{ID: "so-1", CampaignID: w.Campaign.ID, Phone: p(0), CreatedAt: at(time.Hour)},
			{ID: "so-2", CampaignID: w.Campaign.ID, Phone: p(0), CreatedAt: at(3 * time.Hour)}, // reviewed below
			{ID: "so-3", CampaignID: w.Campaign.ID, Phone: p(0), CreatedAt: at(2 * time.Hour)},
			{ID: "so-4", CampaignID: w.Campaign.ID, Phone: p(1), CreatedAt: at(4 * time.Hour)}, // reviewed below
			{ID: "so-5", CampaignID: other.Campaign.ID, Phone: p(1), CreatedAt: at(5 * time.Hour)},
			{ID: "so-6", CampaignID: w.Campaign.ID, Phone: p(2), CreatedAt: at(6 * time.Hour)}, // not asked of
		} {
			o.OrganizationID, o.MessageID, o.Body = w.Org.ID, "m"+o.ID, "START"
			if o.CampaignID == other.Campaign.ID {
				o.OrganizationID = other.Org.ID
			}
			if err := tx.AddOptIn(ctx, o); err != nil {
				return err
			}
		}
		for _, id := range []string{"so-2", "so-4"} {
			if err := tx.SetMarked(ctx, store.OptInMarks, id, true, w.Admin.ID, at(7*time.Hour)); err != nil {
				return err
			}
		}
		return nil
	})
	got := get(t, st, func(ctx context.Context, tx store.Tx) (map[string]store.Starts, error) {
		return tx.StartsOf(ctx, w.Campaign.ID, []string{p(0), p(1), "+19995550100"})
	})
	want := map[string]store.Starts{p(0): {Open: at(2 * time.Hour), Reviewed: at(3 * time.Hour)}, p(1): {Reviewed: at(4 * time.Hour)}}
	if len(got) != len(want) {
		t.Errorf("starts %+v, want %+v", got, want)
	}
	for phone, w := range want {
		if g := got[phone]; !g.Open.Equal(w.Open) || !g.Reviewed.Equal(w.Reviewed) {
			t.Errorf("starts of %s %+v, want %+v", phone, g, w)
		}
	}
	if none := get(t, st, func(ctx context.Context, tx store.Tx) (map[string]store.Starts, error) {
		return tx.StartsOf(ctx, w.Campaign.ID, nil)
	}); len(none) != 0 {
		t.Errorf("starts of no number %+v", none)
	}
}
