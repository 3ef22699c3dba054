package server_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// TestExportNamesWhomAReplyCameTo: export messages names, for each reply,
// the volunteer who held the conversation when it came, not whoever holds
// it now: a reply before a Reassign stays the volunteer's, one after it is
// the admin's.
func TestExportNamesWhomAReplyCameTo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	c, assigned, from := texted(t, f, cf, 1)
	a := assigned[0]
	replyFrom(t, f, a, from, "Before the hand-over")
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ThreadID: a.ContactID, ToUserID: f.admin.ID,
		Body: "Over to you"}))
	replyFrom(t, f, a, from, "After the hand-over")
	var out bytes.Buffer
	if _, err := f.organizer(f.st).ExportMessages(ctx, cf.action.ID, &out); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, row := range readCSV(t, out.String()) {
		if row["direction"] == "in" {
			got[row["body"]] = row["volunteer_name"]
		}
	}
	if got["Before the hand-over"] != "vera Volunteer" || got["After the hand-over"] != f.admin.Name {
		t.Fatalf("replies attributed to %v, want vera Volunteer before the hand-over and %s after", got, f.admin.Name)
	}
}

// TestAdminsSeeOnlyWhatCameToTheirCampaign: a campaign that takes over an
// archived campaign's number does not show its admins the unroutable texts
// the number received before, and a START is shown to the campaign whose
// conversation it came to, not to another campaign that has the same
// contact.
func TestAdminsSeeOnlyWhatCameToTheirCampaign(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const shared = "+12125559001"
	other := f.campaign(campaignOpts{name: "Other", contacts: 1, numbers: 1, phones: []string{shared}})
	texted(t, f, other, 1)
	f.clock.Advance(7 * time.Hour) // past the 6-hour lock on the shared contact
	old := f.campaign(campaignOpts{name: "Old", contacts: 1, numbers: 1, phones: []string{shared}})
	_, assigned, number := texted(t, f, old, 1)
	replyFrom(t, f, assigned[0], number, "STOP")
	replyFrom(t, f, assigned[0], number, "START")
	stranger := func(body string) {
		t.Helper()
		f.clock.Advance(time.Second)
		if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: uuid.NewString(), From: "+12125559999", To: number, Body: body,
			ReceivedAt: f.clock.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	stranger("before the take-over")
	// Old is archived and next season takes its number over.
	next := f.campaign(campaignOpts{name: "Next"})
	f.update(func(tx store.Tx) error {
		c := old.campaign
		c.Active = false
		if err := tx.UpdateCampaign(ctx, c); err != nil {
			return err
		}
		return tx.MoveSendingNumber(ctx, number, next.campaign.ID)
	})
	stranger("after the take-over")
	overview := func(cf campaignFix) (unroutable, optIns []string) {
		t.Helper()
		ov, err := f.adminClient().AdminOverview(ctx, cf.campaign.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range ov.Unroutable {
			unroutable = append(unroutable, u.Body)
		}
		for _, o := range ov.OptIns {
			optIns = append(optIns, o.ContactName+": "+o.Body)
		}
		return unroutable, optIns
	}
	for _, tc := range []struct {
		cf                 campaignFix
		unroutable, optIns string
	}{
		{old, "[before the take-over]", "[Contact0 Test: START]"},
		{next, "[after the take-over]", "[]"},
		{other, "[]", "[]"},
	} {
		un, in := overview(tc.cf)
		if got := fmt.Sprint(un); got != tc.unroutable {
			t.Errorf("%s's admins see unroutable texts %s, want %s", tc.cf.campaign.Name, got, tc.unroutable)
		}
		if got := fmt.Sprint(in); got != tc.optIns {
			t.Errorf("%s's admins see opt-ins %s, want %s", tc.cf.campaign.Name, got, tc.optIns)
		}
	}
}

// TestUnroutableStartFromAnOptedOutNumber: a START that reaches no
// conversation, from a number the organization opted out (a STOP that
// reached nobody, say), is an opt-in for the campaign's admins, who can
// lift the opt-out on it; otherwise the number stayed opted out for good.
// A START from a number not opted out is only an unroutable text.
func TestUnroutableStartFromAnOptedOutNumber(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	_, _, number := texted(t, f, cf, 1) // the campaign's number, texting its one contact
	receive := func(from, body string) {
		t.Helper()
		f.clock.Advance(time.Second)
		if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: uuid.NewString(), From: from, To: number, Body: body,
			ReceivedAt: f.clock.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	receive("+12125559998", "STOP")  // reached nobody: opts the number out all the same
	receive("+12125559998", "START") // and asks to be texted again
	receive("+12125559997", "START") // never opted out: nothing to decide
	admin := f.adminClient()
	ov, err := admin.AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.OptIns) != 1 || ov.OptIns[0].ContactPhone != "+12125559998" || !ov.OptIns[0].OptedOut || len(ov.Unroutable) != 3 ||
		ov.OptIns[0].ThreadID != "" || ov.OptIns[0].ActionTitle != "" {
		t.Fatalf("overview %+v, %v: want one opt-in, of +12125559998, still opted out, and three unroutable texts", ov, err)
	}
	if o, err := admin.OptBackIn(ctx, cf.campaign.ID, ov.OptIns[0].ID); err != nil || o.OptedOut {
		t.Fatalf("opt back in: %+v, %v", o, err)
	}
	f.view(func(tx store.Tx) error {
		if out, err := tx.IsOptedOut(ctx, cf.campaign.OrganizationID, "+12125559998"); err != nil || out {
			t.Fatalf("opted out after Opt Back In: %v, %v", out, err)
		}
		return nil
	})
}
