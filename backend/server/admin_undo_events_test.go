package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/sms"
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

// TestNewOptOutsReachOpenAdminScreens: a new opt-out, a volunteer's report
// turning Opt Out on or a contact's STOP, reaches the open event streams
// of the campaign's admins, so an open Admin screen lists it at once, not
// at its 30-second refresh; so does Undo Opt Out from the Admin section
// (the lift announces it), and a STOP renewing an opt-out (the row's time
// changes). A reply that opts nobody out announces nothing: the send path
// stays as it was. The volunteer hears of none of it.
func TestNewOptOutsReachOpenAdminScreens(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	vera, as, from := texted(t, f, cf, 2)
	receive := func(id, body string) {
		t.Helper()
		f.clock.Advance(time.Second)
		if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: id, From: as[1].Phone, To: from, Body: body, ReceivedAt: f.clock.Now()}); err != nil {
			t.Fatalf("receive %q: %v", body, err)
		}
	}
	admin := openStream(t, f.adminClient())
	admin.nextVersion(t, -1, "the admin's stream's first event")
	volunteer := openStream(t, vera)
	volunteer.nextVersion(t, -1, "the volunteer's stream's first event")

	reportOptOut(t, vera, as[0].ContactID, nil)
	admin.wantAdminEvent(t, cf.campaign.ID, 10*time.Second, "after a volunteer's report turned Opt Out on")
	volunteer.noAdminEvent(t, cf.campaign.ID, 300*time.Millisecond, "the volunteer who reported")

	receive("SM-plain", "Who is this?")
	admin.noAdminEvent(t, cf.campaign.ID, 300*time.Millisecond, "after a reply that opts nobody out")
	receive("SM-stop", "STOP")
	admin.wantAdminEvent(t, cf.campaign.ID, 10*time.Second, "after the contact's STOP")
	receive("SM-stop-again", "STOP")
	admin.wantAdminEvent(t, cf.campaign.ID, 10*time.Second, "after a STOP renewing the opt-out (the row's time)")

	read, err := f.adminClient().AdminThread(ctx, cf.campaign.ID, as[0].ContactID)
	if err != nil || read.OptOut == nil {
		t.Fatalf("admin read %+v, %v: want the report's opt-out", read, err)
	}
	if _, err := f.adminClient().UndoOptOut(ctx, cf.campaign.ID, as[0].ContactID, read.OptOut.At); err != nil {
		t.Fatal(err)
	}
	admin.wantAdminEvent(t, cf.campaign.ID, 10*time.Second, "after Undo Opt Out in the Admin section")
}
