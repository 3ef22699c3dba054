package server_test

import (
	"context"
	"slices"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// TestHandBackTellsTheFormerOwner: Vera handed a conversation to Orla (an
// admin), Orla handed it on to Bea, Bea read the contact's next reply and
// not the one after it, and handed the conversation back to Orla; then the
// contact replied again. Orla's apps that synced while Bea held it saw it
// leave and come back: told of the hand-back and of the two replies no one
// had read. Those that did not sync in between still held the conversation,
// saw no hand-over, and told of the reply Bea had read as new (and never of
// the hand-back): they are told as the others are, whatever the page size.
func TestHandBackTellsTheFormerOwner(t *testing.T) {
	r := newHandBackRig(t)
	ctx := context.Background()

	// Orla's apps: pulling 1, 2, 3 or 500 changes a page (pages end
	// everywhere in a hand-over's rows), half of them kept from syncing
	// while Bea holds the conversation.
	sizes := []int{1, 2, 3, 500}
	type app struct {
		size   int
		synced bool
		c      *cache.Cache
	}
	var apps []app
	for _, size := range sizes {
		for _, synced := range []bool{true, false} {
			apps = append(apps, app{size: size, synced: synced, c: openApp(t)})
		}
	}
	pull := func(a app) (replies []string, handed int) {
		t.Helper()
		return pullApp(t, r.orla, a.c, a.size)
	}
	for _, a := range apps {
		pull(a)
	}

	r.receive(t, "Who is this?")
	r.mutate(t, r.vera, api.Mutation{Type: api.MutRead})
	r.mutate(t, r.vera, api.Mutation{Type: api.MutReassign, ToUserID: r.f.admin.ID, Body: "over to you"})
	for _, a := range apps {
		if replies, handed := pull(a); handed != 1 || len(replies) != 0 {
			t.Fatalf("%d a page: Vera's hand-over told of %q and %d hand-overs, want none and 1", a.size, replies, handed)
		}
	}

	r.mutate(t, r.orla, api.Mutation{Type: api.MutReassign, ToUserID: r.beaUser.ID, Body: "yours, Bea"})
	for _, a := range apps {
		if a.synced {
			if replies, handed := pull(a); handed != 0 || len(replies) != 0 {
				t.Fatalf("%d a page: Orla's own hand-over told of %q and %d hand-overs, want nothing", a.size, replies, handed)
			}
		}
	}
	r.receive(t, "Is this the campaign?")
	r.mutate(t, r.bea, api.Mutation{Type: api.MutRead})
	r.receive(t, "Still there?")
	r.mutate(t, r.bea, api.Mutation{Type: api.MutReassign, ToUserID: r.f.admin.ID, Body: "back to you"})
	r.receive(t, "Hello?")

	for _, a := range apps {
		replies, handed := pull(a)
		if handed != 1 || !slices.Equal(replies, []string{"Still there?", "Hello?"}) {
			t.Errorf("%d a page, synced while Bea held it %v: the hand-back told of %q and %d hand-overs; want the replies no one had read and 1",
				a.size, a.synced, replies, handed)
		}
		d, err := a.c.Thread(ctx, r.as.ContactID)
		if err != nil {
			t.Fatalf("%d a page, synced %v: the conversation after the hand-back: %v", a.size, a.synced, err)
		}
		if len(d.Messages) != 5 || d.Thread.Reassigned == nil || d.Thread.Reassigned.FromUserID != r.beaUser.ID {
			t.Errorf("%d a page, synced %v: the conversation holds %d messages, handed over by %+v; want all 5, by Bea",
				a.size, a.synced, len(d.Messages), d.Thread.Reassigned)
		}
	}
}
