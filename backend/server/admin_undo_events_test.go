package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server"
)

// TestOptOutsUndoReachesOpenAdminScreens: textbankd opt-outs undo, from its
// own handle on the database, reaches the open event streams of the
// campaign's admins as the Admin section's Undo Opt Out does (on
// PostgreSQL its commit announces the campaign; on SQLite the feed
// watcher notices the write), so an open Admin screen shows the undo at
// once, not at its 30-second refresh.
func TestOptOutsUndoReachesOpenAdminScreens(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	vera, as, _ := texted(t, f, cf, 1)
	reportOptOut(t, vera, as[0].ContactID, nil)

	go f.srv.WatchFeed(ctx, 20*time.Millisecond)
	waitFeedWatched(t, f.srv)
	admin := openStream(t, f.adminClient())
	admin.nextVersion(t, -1, "the admin's stream's first event")

	if _, err := f.organizer(f.reopen()).UndoOptOut(ctx, server.UndoOptOutRequest{Org: f.org.Name, Phone: as[0].Phone, By: f.admin.Email}); err != nil {
		t.Fatal(err)
	}
	admin.wantAdminEvent(t, cf.campaign.ID, 10*time.Second, "after textbankd opt-outs undo")
}
