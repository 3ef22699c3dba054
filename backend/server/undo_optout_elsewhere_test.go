package server_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestUndoOptOutReportedInAnotherCampaign: a volunteer of Other turned Opt
// Out on in their conversation with a contact whom This texted too (the
// contact may have asked there in their own words). An admin of This
// alone, reading This's conversation, cannot read that one: the read says
// the opt-out is not theirs to undo, and where it was filed; Undo Opt Out
// is refused, naming Other, with nothing changed. From Other's
// conversation, an admin of Other undoes it.
func TestUndoOptOutReportedInAnotherCampaign(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const shared = "+12125559001"
	this := f.campaign(campaignOpts{name: "This", contacts: 1, numbers: 1, phones: []string{shared}})
	_, ta, _ := texted(t, f, this, 1)
	f.clock.Advance(7 * time.Hour) // past the 6-hour lock on the shared contact
	other := f.campaign(campaignOpts{name: "Other", contacts: 1, numbers: 1, phones: []string{shared}})
	vera, oa, _ := texted(t, f, other, 1)
	reportOptOut(t, vera, oa[0].ContactID, nil)

	ida, idaUser := f.user("ida") // an admin of This only
	f.update(func(tx store.Tx) error {
		_, err := tx.AddMembership(ctx, store.Membership{CampaignID: this.campaign.ID, UserID: idaUser.ID, Role: store.RoleAdmin, CreatedAt: baseTime})
		return err
	})
	read, err := ida.AdminThread(ctx, this.campaign.ID, ta[0].ContactID)
	if err != nil || read.OptOut == nil || read.OptOut.Undoable || read.OptOut.ReportedIn != "Other" {
		t.Fatalf("Ida's read %+v, %v: want a report's opt-out filed in Other, not undoable here", read.OptOut, err)
	}
	at, _ := json.Marshal(api.UndoOptOut{OptedOutAt: &read.OptOut.At})
	status, raw := f.raw("POST", "/api/v1/campaigns/"+this.campaign.ID+"/admin/threads/"+ta[0].ContactID+"/undo-opt-out", f.token(ida), string(at))
	if status != 409 || !contains(raw, api.CodeOptOutReportedElsewhere, shared+" was opted out by a report in a conversation of Other, which you cannot read here") {
		t.Fatalf("Ida's undo = %d %s, want 409 %s naming Other", status, raw, api.CodeOptOutReportedElsewhere)
	}
	f.view(func(tx store.Tx) error {
		if out, err := tx.IsOptedOut(ctx, f.org.ID, shared); err != nil || !out {
			t.Errorf("after the refusal: opted out %v, %v; want still opted out", out, err)
		}
		return nil
	})

	admin := f.adminClient() // Ann: an admin of both
	read, err = admin.AdminThread(ctx, other.campaign.ID, oa[0].ContactID)
	if err != nil || read.OptOut == nil || !read.OptOut.Undoable || read.OptOut.ReportedIn != "" {
		t.Fatalf("Ann's read of Other's conversation %+v, %v: want undoable", read.OptOut, err)
	}
	if after, err := admin.UndoOptOut(ctx, other.campaign.ID, oa[0].ContactID, read.OptOut.At); err != nil || after.OptOut != nil {
		t.Fatalf("Ann's undo from Other: %+v, %v", after.OptOut, err)
	}
}
