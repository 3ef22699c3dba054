package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/sms"
)

// The server applies the inbox's archive rules: archive and unarchive as
// often as wanted; an archive queued offline before the contact's latest
// reply does not hide it; a report archives with Automatic Archive on
// ("report"), unless a reply came after it; the archiver says "inactive".
func TestArchiveRulesOnTheServer(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	c, assigned, from := texted(t, f, cf, 2)
	id, other := assigned[0].ContactID, assigned[1].ContactID
	state := syncState{}
	cursor := syncAll(t, c, state, 0, 0)
	archive := func(id string, on bool, at time.Time) {
		t.Helper()
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutArchive, CreatedAt: at, ThreadID: id, Archived: &on}))
		cursor = syncAll(t, c, state, cursor, 0)
	}
	want := func(step, id string, archived bool, reason string) {
		t.Helper()
		th := state.thread(t, id)
		if th.Archived != archived || th.ArchivedReason != reason {
			t.Fatalf("%s: archived=%v reason=%q, want %v %q", step, th.Archived, th.ArchivedReason, archived, reason)
		}
	}
	for range 3 {
		archive(id, true, f.clock.Now())
		want("archive", id, true, "manual")
		archive(id, false, f.clock.Now())
		want("unarchive", id, false, "")
	}

	// Offline: archived at t0, the contact replied at t0+1s, the archive
	// arrives after.
	queuedAt := f.clock.Now()
	f.clock.Advance(time.Second)
	if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-late", From: assigned[0].Phone, To: from, Body: "Wait!", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Second)
	archive(id, true, queuedAt)
	want("archive older than the reply", id, false, "")
	archive(id, true, f.clock.Now())
	want("archive after reading the reply", id, true, "manual")

	// Automatic Archive.
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutSettings, Settings: &api.Settings{AutoArchive: true}}))
	reportValues := func(id string, at time.Time, values map[string]string) {
		t.Helper()
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, CreatedAt: at, ThreadID: id, ReportID: uuid.NewString(),
			Values: values}))
		cursor = syncAll(t, c, state, cursor, 0)
	}
	report := func(id string, at time.Time) { t.Helper(); reportValues(id, at, map[string]string{"notes": "ok"}) }
	// "Not an opt-out" (the suggestion's answer) files a report that does
	// not archive: the volunteer means to answer them.
	reportValues(other, f.clock.Now(), map[string]string{"opt_out": "false"})
	want("not an opt-out with Automatic Archive", other, false, "")
	report(other, f.clock.Now())
	want("report with Automatic Archive", other, true, "report")
	archive(other, false, f.clock.Now())
	reportAt := f.clock.Now()
	f.clock.Advance(time.Second)
	if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-late-2", From: assigned[1].Phone, To: from, Body: "Also...", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	report(other, reportAt)
	want("report older than the reply", other, false, "")

	// Two months later the archiver takes the open one, and keeps the
	// reason of the one already archived.
	// The volunteer opens the app now and then, so the session (which ends
	// after 30 days unused) stays valid.
	for range 2 {
		f.clock.Advance(29 * 24 * time.Hour)
		cursor = syncAll(t, c, state, cursor, 0)
	}
	f.clock.Advance(3 * 24 * time.Hour)
	if _, err := f.srv.ArchiveInactive(ctx); err != nil {
		t.Fatal(err)
	}
	cursor = syncAll(t, c, state, cursor, 0)
	want("inactive", other, true, "inactive")
	want("already archived", id, true, "manual")
}
