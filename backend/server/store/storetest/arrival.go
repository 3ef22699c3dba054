package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// withOwner is th handed to ownerID, as a Reassign stores it.
func withOwner(th store.Thread, ownerID string) store.Thread {
	th.OwnerID = ownerID
	return th
}

// testArrivalCampaign: an unroutable text and an opt-in belong to the
// campaign they reached when they came. A number taken over from an
// archived campaign brings none of what it received before to the new
// campaign's admins, and a START is its conversation's campaign's, not
// every campaign's that has the contact.
func testArrivalCampaign(t *testing.T, st store.Store) {
	old := newWorld(t, st, "arrold", 1)
	th := old.thread(t, st, 0, old.Volunteer.ID)
	next := store.Campaign{ID: "arrnext", OrganizationID: old.Org.ID, Name: "Next season", JoinCode: "999004", Active: true, CreatedAt: t0}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, err := range []error{
			tx.AddUnroutable(ctx, store.Unroutable{ID: "arr-u-old", From: "+14155550100", To: old.Number, Body: "before",
				ReceivedAt: at(time.Hour), CampaignID: old.Campaign.ID}),
			tx.CreateMessage(ctx, store.Message{ID: "arr-start", ThreadID: th.ID, Direction: dirIn, Body: "START", Status: statusRecv,
				RoutedTo: old.Volunteer.ID, CreatedAt: at(time.Hour)}),
			tx.AddOptIn(ctx, store.OptIn{ID: "arr-oi", OrganizationID: old.Org.ID, CampaignID: old.Campaign.ID, Phone: th.ContactPhone,
				MessageID: "arr-start", Body: "START", CreatedAt: at(time.Hour)}),
			tx.CreateCampaign(ctx, next),
			tx.MoveSendingNumber(ctx, old.Number, next.ID),
			tx.AddUnroutable(ctx, store.Unroutable{ID: "arr-u-next", From: "+14155550100", To: old.Number, Body: "after",
				ReceivedAt: at(2 * time.Hour), CampaignID: next.ID}),
			tx.AddUnroutable(ctx, store.Unroutable{ID: "arr-u-none", From: "+14155550101", To: "+19995550000", Body: "nobody's",
				ReceivedAt: at(3 * time.Hour)}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	ids := func(list []store.Unroutable) (out []string) {
		for _, u := range list {
			out = append(out, u.ID+"@"+u.CampaignID)
		}
		return out
	}
	for campaign, want := range map[string]string{old.Campaign.ID: "[arr-u-old@" + old.Campaign.ID + "]", next.ID: "[arr-u-next@" + next.ID + "]"} {
		got := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Unroutable, error) {
			return tx.UnroutableForCampaign(ctx, campaign, store.MarkAll, 10)
		})
		if s := fmt.Sprint(ids(got)); s != want {
			t.Errorf("UnroutableForCampaign(%s) = %s, want %s", campaign, s, want)
		}
	}
	all := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Unroutable, error) { return tx.ListUnroutable(ctx, 10) })
	if s := fmt.Sprint(ids(all)); s != "[arr-u-none@ arr-u-next@"+next.ID+" arr-u-old@"+old.Campaign.ID+"]" {
		t.Errorf("ListUnroutable = %s, want each with the campaign it reached", s)
	}
	optIns := func(campaignID string) []store.OptIn {
		return get(t, st, func(ctx context.Context, tx store.Tx) ([]store.OptIn, error) {
			return tx.OptIns(ctx, campaignID, store.MarkAll, 10)
		})
	}
	if l := optIns(old.Campaign.ID); len(l) != 1 || l[0].ID != "arr-oi" || l[0].CampaignID != old.Campaign.ID ||
		l[0].MessageID != "arr-start" || l[0].Phone != th.ContactPhone || !l[0].CreatedAt.Equal(at(time.Hour)) {
		t.Errorf("OptIns of the campaign it came to = %+v", l)
	}
	if l := optIns(next.ID); len(l) != 0 {
		t.Errorf("OptIns of the campaign that took the number over = %+v, want none", l)
	}
}
