package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var byPhoneTests = []test{
	{"threads/a campaign's (and an organization's) threads with a list of numbers, in one read", testCampaignThreadsByPhones},
}

// testCampaignThreadsByPhones: the Admin section's batch read answers what
// ThreadsByPhone filtered to the campaign answers for each number: the
// campaign's threads only, in creation order, absent numbers left out.
func testCampaignThreadsByPhones(t *testing.T, st store.Store) {
	w := newWorld(t, st, "bp-", 3)
	other := newWorld(t, st, "bp-other-", 1)
	c0 := w.thread(t, st, 0, w.Volunteer.ID) // created at +1m
	c1 := w.thread(t, st, 1, w.Admin.ID)
	// Contact 0's number again: in a second action of the campaign, created
	// earlier than c0 (so listed first), and in another campaign of the
	// same organization (never listed).
	second := w.Action
	second.ID, second.Title = "bp-act2", "Second"
	elsewhere := store.Campaign{ID: "bp-camp2", OrganizationID: w.Org.ID, Name: "Elsewhere", Issue: "x",
		JoinCode: "654321", Active: true, CreatedAt: t0}
	third := w.Action
	third.ID, third.CampaignID = "bp-act3", elsewhere.ID
	contact := func(id, actionID string) store.Contact {
		c := w.Contacts[0]
		c.ID, c.ActionID = id, actionID
		return c
	}
	thread := func(c store.Contact, campaignID string, created time.Duration) store.Thread {
		return store.Thread{ID: c.ID, ActionID: c.ActionID, CampaignID: campaignID, OrganizationID: w.Org.ID,
			OwnerID: w.Volunteer.ID, ContactName: "Again", ContactPhone: c.Phone, SendingNumber: w.Number,
			LastMessageAt: at(time.Hour), CreatedAt: at(created)}
	}
	x0 := thread(contact("bp-x0", second.ID), w.Campaign.ID, time.Second)
	y0 := thread(contact("bp-y0", third.ID), elsewhere.ID, 0)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, err := range []error{
			tx.CreateAction(ctx, second), tx.CreateCampaign(ctx, elsewhere), tx.CreateAction(ctx, third),
			tx.CreateContact(ctx, contact(x0.ID, second.ID)), tx.CreateContact(ctx, contact(y0.ID, third.ID)),
			tx.CreateThread(ctx, x0), tx.CreateThread(ctx, y0),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	phone0, phone1 := w.Contacts[0].Phone, w.Contacts[1].Phone
	got := get(t, st, func(ctx context.Context, tx store.Tx) (map[string][]store.Thread, error) {
		return tx.CampaignThreadsByPhones(ctx, w.Org.ID, w.Campaign.ID, []string{phone0, phone1, w.Contacts[2].Phone, phone0, "+19995550000"})
	})
	want := map[string][]string{phone0: {x0.ID, c0.ID}, phone1: {c1.ID}}
	gotIDs := map[string][]string{}
	for phone, ths := range got {
		gotIDs[phone] = threadIDs(ths)
		for _, th := range ths {
			if th.ContactPhone != phone || th.CampaignID != w.Campaign.ID {
				t.Errorf("thread %s (phone %s, campaign %s) listed under %s", th.ID, th.ContactPhone, th.CampaignID, phone)
			}
		}
	}
	if !reflect.DeepEqual(gotIDs, want) {
		t.Errorf("CampaignThreadsByPhones = %v, want %v", gotIDs, want)
	}
	if ths := got[phone1]; len(ths) == 1 && !reflect.DeepEqual(ths[0], c1) {
		t.Errorf("thread read back = %+v, want %+v", ths[0], c1)
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (map[string][]store.Thread, error) {
		return tx.CampaignThreadsByPhones(ctx, w.Org.ID, elsewhere.ID, []string{phone0, phone1})
	}); len(got) != 1 || !reflect.DeepEqual(threadIDs(got[phone0]), []string{y0.ID}) {
		t.Errorf("the other campaign's: %v, want only %s", got, y0.ID)
	}
	for _, c := range []struct {
		name, org, campaign string
		phones              []string
	}{
		{"another organization", other.Org.ID, w.Campaign.ID, []string{phone0}},
		{"no numbers", w.Org.ID, w.Campaign.ID, nil},
	} {
		got := get(t, st, func(ctx context.Context, tx store.Tx) (map[string][]store.Thread, error) {
			return tx.CampaignThreadsByPhones(ctx, c.org, c.campaign, c.phones)
		})
		if got == nil || len(got) != 0 {
			t.Errorf("%s: CampaignThreadsByPhones = %v, want an empty map", c.name, got)
		}
	}

	// The organization's, whatever the campaign (an opt-out import's read).
	all := get(t, st, func(ctx context.Context, tx store.Tx) (map[string][]store.Thread, error) {
		return tx.ThreadsByPhones(ctx, w.Org.ID, []string{phone0, phone1, w.Contacts[2].Phone, phone0, "+19995550000"})
	})
	allIDs := map[string][]string{}
	for phone, ths := range all {
		allIDs[phone] = threadIDs(ths)
	}
	if want := map[string][]string{phone0: {y0.ID, x0.ID, c0.ID}, phone1: {c1.ID}}; !reflect.DeepEqual(allIDs, want) {
		t.Errorf("ThreadsByPhones = %v, want %v", allIDs, want)
	}
	for _, phones := range [][]string{nil, {"+19995550000"}} {
		if got := get(t, st, func(ctx context.Context, tx store.Tx) (map[string][]store.Thread, error) {
			return tx.ThreadsByPhones(ctx, w.Org.ID, phones)
		}); got == nil || len(got) != 0 {
			t.Errorf("ThreadsByPhones(%v) = %v, want an empty map", phones, got)
		}
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (map[string][]store.Thread, error) {
		return tx.ThreadsByPhones(ctx, other.Org.ID, []string{phone1})
	}); len(got) != 0 {
		t.Errorf("another organization's ThreadsByPhones = %v, want none of this one's", got)
	}
}
