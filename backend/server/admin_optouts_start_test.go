package server_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/textbank/textbank/backend/api"
)

// TestAdminOptOutsSayTheStart: the Opt-outs list and the conversation's
// admin read say where the contact's START is, as Opt Back In would take
// it: none before one comes, listed while open, reviewed once marked
// (however many START rows the campaign has), none again once the contact
// opts out after it (a START before the opt-out lifts nothing). A blocked
// conversation's read says it is blocked; another's does not.
func TestAdminOptOutsSayTheStart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	vera, a, from := texted(t, f, cf, 2)
	admin := f.adminClient()
	replyFrom(t, f, a[0], from, "STOP")
	replyFrom(t, f, a[1], from, "STOP")
	wantApplied(t, push(t, vera, api.Mutation{ID: uuid.NewString(), Type: api.MutBlock, ThreadID: a[1].ContactID, Reason: api.BlockHarassment}))

	starts := func(when string, want0, want1 string) {
		t.Helper()
		got, err := admin.AdminOptOuts(ctx, cf.campaign.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		byThread := map[string]api.AdminOptOutRow{}
		for _, r := range got.OptOuts {
			byThread[r.ThreadID] = r
		}
		for i, want := range []string{want0, want1} {
			r, ok := byThread[a[i].ContactID]
			if !ok || r.OptOut.Start != want {
				t.Errorf("%s: row of contact %d %+v (listed %v), want start %q", when, i, r, ok, want)
			}
			read, err := admin.AdminThread(ctx, cf.campaign.ID, a[i].ContactID)
			if err != nil || read.OptOut == nil || read.OptOut.Start != want || read.Blocked != (i == 1) {
				t.Errorf("%s: contact %d's read %+v (%v), want start %q, blocked %v", when, i, read.OptOut, err, want, i == 1)
			}
		}
	}
	starts("before any START", api.StartNone, api.StartNone)
	replyFrom(t, f, a[0], from, "START")
	replyFrom(t, f, a[1], from, "START")
	starts("STARTs open", api.StartListed, api.StartListed)

	ov, err := admin.AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.OptIns) != 2 {
		t.Fatalf("overview %+v %v, want two opt-ins", ov.OptIns, err)
	}
	for _, o := range ov.OptIns {
		if o.ContactPhone == a[0].Phone {
			if _, err := admin.SetOptInReviewed(ctx, cf.campaign.ID, o.ID, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	starts("one START reviewed", api.StartReviewed, api.StartListed)

	replyFrom(t, f, a[1], from, "STOP") // after their START: it lifts nothing now
	starts("STOP after the START", api.StartReviewed, api.StartNone)
}
