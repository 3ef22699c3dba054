package server_test

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// TestOrganizerReassignsInAnArchivedCampaignByID: an archived campaign's
// volunteers still get replies, and its code no longer names it (it may be
// a newer campaign's), so conversations reassign reaches it by its id, as
// stats and the exports do; it answered "join code must be exactly 6
// digits" to the id before.
func TestOrganizerReassignsInAnArchivedCampaignByID(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 4, numbers: 1, batch: 4})
	c, _, _ := texted(t, f, cf, 2)
	vera, err := c.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	org := f.organizer(f.st)
	if _, err := org.ArchiveCampaign(ctx, cf.campaign.JoinCode); err != nil {
		t.Fatal(err)
	}
	res, err := org.ReassignConversations(ctx, vera.Email, cf.campaign.ID, "", "")
	if err != nil {
		t.Fatalf("reassign by the archived campaign's id: %v", err)
	}
	if res.Total != 2 || len(res.To) != 1 || res.To[0].Email != f.admin.Email {
		t.Fatalf("result %+v", res)
	}
	var ths []store.Thread
	f.view(func(tx store.Tx) error {
		ths, err = tx.ThreadsOwnedInAction(ctx, f.admin.ID, cf.action.ID)
		return err
	})
	if len(ths) != 2 {
		t.Fatalf("the action's creator holds %d conversations, want 2", len(ths))
	}
}
