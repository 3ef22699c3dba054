package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/sms"
)

// TestUnarchiveKeepsAThreadOut: the two-month archiver counts the owner's
// unarchive and their reports as activity, so a conversation the volunteer
// takes out of the archive stays out at the next round; after two more
// quiet months it goes back.
func TestUnarchiveKeepsAThreadOut(t *testing.T) {
	// Sign-ins last 90 days: this test's four months need them longer.
	f := newFixtureWith(t, fixtureOpts{tokenLifetime: 365 * 24 * time.Hour})
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, assigned, _ := texted(t, f, cf, 2)
	unarchived, reported := assigned[0].ContactID, assigned[1].ContactID
	state := syncState{}
	// The volunteer opens the app now and then (sessions end after 30 days unused).
	quiet := func(days int) {
		for days > 0 {
			step := min(days, 29)
			f.clock.Advance(time.Duration(step) * 24 * time.Hour)
			syncAll(t, c, state, 0, 0)
			days -= step
		}
	}
	quiet(62)
	if n, err := f.srv.ArchiveInactive(ctx); err != nil || n != 2 {
		t.Fatalf("archive inactive: %d %v, want both", n, err)
	}
	off := false
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutArchive, CreatedAt: f.clock.Now(), ThreadID: unarchived, Archived: &off}))
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutArchive, CreatedAt: f.clock.Now(), ThreadID: reported, Archived: &off}))
	f.clock.Advance(time.Hour) // the next round
	if n, err := f.srv.ArchiveInactive(ctx); err != nil || n != 0 {
		t.Fatalf("an hour after the unarchives the archiver archived %d (%v), want none", n, err)
	}
	quiet(3)
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, CreatedAt: f.clock.Now(), ThreadID: reported, ReportID: uuid.NewString(),
		Values: map[string]string{"notes": "called back, still deciding"}}))
	quiet(57)
	if n, err := f.srv.ArchiveInactive(ctx); err != nil || n != 1 {
		t.Fatalf("60 days after the unarchives: archived %d (%v), want the one not reported on since", n, err)
	}
	quiet(4)
	if n, err := f.srv.ArchiveInactive(ctx); err != nil || n != 1 {
		t.Fatalf("61 days after the report: archived %d (%v), want the other", n, err)
	}
	syncAll(t, c, state, 0, 0)
	for _, id := range []string{unarchived, reported} {
		if th := state.thread(t, id); !th.Archived || th.ArchivedReason != "inactive" {
			t.Fatalf("thread %s = %+v, want archived as inactive again", id, th)
		}
	}
}

// TestArchiveWithoutCreatedAt: an archive from a client that leaves out
// createdAt counts as made now; before, it was dated at the zero time, so
// any reply "came after it" and it was answered applied yet did nothing.
func TestArchiveWithoutCreatedAt(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	c, assigned, from := texted(t, f, cf, 1)
	id := assigned[0].ContactID
	if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-r1", From: assigned[0].Phone, To: from, Body: "who is this", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	on := true
	// Straight to the client: the tests' push dates a mutation without one.
	resp, err := c.PushMutations(ctx, []api.Mutation{{ID: uuid.NewString(), Type: api.MutArchive, ThreadID: id, Archived: &on}})
	if err != nil || len(resp.Results) != 1 {
		t.Fatalf("push: %+v %v", resp, err)
	}
	wantApplied(t, resp.Results[0])
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	if th := state.thread(t, id); !th.Archived {
		t.Fatalf("archive without createdAt left the thread %+v", th)
	}
	// One dated ahead of the server's clock counts as now too: a reply
	// after it still brings the thread back.
	off := false
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutArchive, ThreadID: id, Archived: &off}))
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutArchive, ThreadID: id, Archived: &on,
		CreatedAt: f.clock.Now().Add(24 * time.Hour)}))
	f.clock.Advance(time.Minute)
	if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-r2", From: assigned[0].Phone, To: from, Body: "hello?", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	syncAll(t, c, state, 0, 0)
	if th := state.thread(t, id); th.Archived {
		t.Fatalf("a reply after the archive left the thread archived: %+v", th)
	}
}
