package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/sms"
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
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1, batch: 1})
	bea := f.secondAdmin(cf)
	vera, _ := f.member("vera", cf)
	b, err := vera.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	as := b.Assigned[0]
	res, _ := sendInitial(t, vera, as.ContactID)
	wantApplied(t, res)
	from := f.sent()[0].From
	receive := func(body string) {
		t.Helper()
		f.clock.Advance(time.Minute)
		if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM" + uuid.NewString(), From: as.Phone, To: from, Body: body, ReceivedAt: f.clock.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	mutate := func(c *api.Client, m api.Mutation) {
		t.Helper()
		f.clock.Advance(time.Minute)
		m.ID, m.CreatedAt, m.ThreadID = uuid.NewString(), f.clock.Now(), as.ContactID
		if m.Type == api.MutRead {
			m.At = ptr(f.clock.Now())
		}
		wantApplied(t, push(t, c, m))
	}
	orla, beaC := f.clientOf(f.admin), f.clientOf(bea)

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
			c, err := cache.Open(ctx, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			apps = append(apps, app{size: size, synced: synced, c: c})
		}
	}
	pull := func(a app) (replies []string, handed int) {
		t.Helper()
		cursor, err := a.c.Cursor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for {
			page, err := orla.Sync(ctx, cursor, a.size)
			if err != nil {
				t.Fatal(err)
			}
			res, err := a.c.ApplyPage(ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range res.NewInbound {
				replies = append(replies, n.Body)
			}
			handed += len(res.Reassigned)
			if cursor = page.Cursor; !page.More {
				return replies, handed
			}
		}
	}
	for _, a := range apps {
		pull(a)
	}

	receive("Who is this?")
	mutate(vera, api.Mutation{Type: api.MutRead})
	mutate(vera, api.Mutation{Type: api.MutReassign, ToUserID: f.admin.ID, Body: "over to you"})
	for _, a := range apps {
		if replies, handed := pull(a); handed != 1 || len(replies) != 0 {
			t.Fatalf("%d a page: Vera's hand-over told of %q and %d hand-overs, want none and 1", a.size, replies, handed)
		}
	}

	mutate(orla, api.Mutation{Type: api.MutReassign, ToUserID: bea.ID, Body: "yours, Bea"})
	for _, a := range apps {
		if a.synced {
			if replies, handed := pull(a); handed != 0 || len(replies) != 0 {
				t.Fatalf("%d a page: Orla's own hand-over told of %q and %d hand-overs, want nothing", a.size, replies, handed)
			}
		}
	}
	receive("Is this the campaign?")
	mutate(beaC, api.Mutation{Type: api.MutRead})
	receive("Still there?")
	mutate(beaC, api.Mutation{Type: api.MutReassign, ToUserID: f.admin.ID, Body: "back to you"})
	receive("Hello?")

	for _, a := range apps {
		replies, handed := pull(a)
		if handed != 1 || !slices.Equal(replies, []string{"Still there?", "Hello?"}) {
			t.Errorf("%d a page, synced while Bea held it %v: the hand-back told of %q and %d hand-overs; want the replies no one had read and 1",
				a.size, a.synced, replies, handed)
		}
		d, err := a.c.Thread(ctx, as.ContactID)
		if err != nil {
			t.Fatalf("%d a page, synced %v: the conversation after the hand-back: %v", a.size, a.synced, err)
		}
		if len(d.Messages) != 5 || d.Thread.Reassigned == nil || d.Thread.Reassigned.FromUserID != bea.ID {
			t.Errorf("%d a page, synced %v: the conversation holds %d messages, handed over by %+v; want all 5, by Bea",
				a.size, a.synced, len(d.Messages), d.Thread.Reassigned)
		}
	}
}
