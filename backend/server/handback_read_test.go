package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// TestHandBackTellsOfAReplyTheReaderNeverHad: Bea holds a conversation
// Orla handed her and her app shows the contact's reply; a second reply
// reaches the server, not yet her app, and she opens the conversation
// there (read) and hands it back to Orla. The second reply was never on
// Bea's screen: Orla's app is told of it, and only of it. A read is as far
// as the newest reply the app held (cache markReadTx), not the app's
// clock, which was after the second reply reached the server.
func TestHandBackTellsOfAReplyTheReaderNeverHad(t *testing.T) {
	r := newHandBackRig(t)
	ctx := context.Background()
	pull := func(c *api.Client, app *cache.Cache) []string {
		t.Helper()
		replies, _ := pullApp(t, c, app, 500)
		return replies
	}
	orlaApp, beaApp := openApp(t), openApp(t)
	pull(r.orla, orlaApp)
	pull(r.bea, beaApp)

	r.mutate(t, r.vera, api.Mutation{Type: api.MutReassign, ToUserID: r.f.admin.ID, Body: "over to you"})
	pull(r.orla, orlaApp)
	r.mutate(t, r.orla, api.Mutation{Type: api.MutReassign, ToUserID: r.beaUser.ID, Body: "yours, Bea"})
	pull(r.orla, orlaApp)
	r.receive(t, "Is this the campaign?")
	if got := pull(r.bea, beaApp); !slices.Equal(got, []string{"Is this the campaign?"}) {
		t.Fatalf("Bea's app was told of %q, want the reply", got)
	}
	r.receive(t, "Still there?") // on the server, not in Bea's app
	r.f.clock.Advance(time.Minute)
	if err := beaApp.MarkRead(ctx, r.as.ContactID, r.f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	reads, err := beaApp.PendingMutations(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(reads) != 1 || reads[0].Type != api.MutRead {
		t.Fatalf("Bea's app queued %+v, want one read", reads)
	}
	wantApplied(t, push(t, r.bea, reads[0]))
	r.mutate(t, r.bea, api.Mutation{Type: api.MutReassign, ToUserID: r.f.admin.ID, Body: "back to you"})

	if got := pull(r.orla, orlaApp); !slices.Equal(got, []string{"Still there?"}) {
		t.Errorf("the hand-back told Orla of %q; want the reply Bea's app never had, and not the one she read", got)
	}
}
