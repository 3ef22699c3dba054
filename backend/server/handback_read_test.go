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

// TestHandBackTellsOfAReplyTheReaderNeverHad: Bea holds a conversation
// Orla handed her and her app shows the contact's reply; a second reply
// reaches the server, not yet her app, and she opens the conversation
// there (read) and hands it back to Orla. The second reply was never on
// Bea's screen: Orla's app is told of it, and only of it. A read is as far
// as the newest reply the app held (cache markReadTx), not the app's
// clock, which was after the second reply reached the server.
func TestHandBackTellsOfAReplyTheReaderNeverHad(t *testing.T) {
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
		wantApplied(t, push(t, c, m))
	}
	orla, beaC := f.clientOf(f.admin), f.clientOf(bea)
	pull := func(c *api.Client, app *cache.Cache) (replies []string) {
		t.Helper()
		cursor, err := app.Cursor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for {
			page, err := c.Sync(ctx, cursor, 500)
			if err != nil {
				t.Fatal(err)
			}
			res, err := app.ApplyPage(ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range res.NewInbound {
				replies = append(replies, n.Body)
			}
			if cursor = page.Cursor; !page.More {
				return replies
			}
		}
	}
	openApp := func() *cache.Cache {
		c, err := cache.Open(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	orlaApp, beaApp := openApp(), openApp()
	pull(orla, orlaApp)
	pull(beaC, beaApp)

	mutate(vera, api.Mutation{Type: api.MutReassign, ToUserID: f.admin.ID, Body: "over to you"})
	pull(orla, orlaApp)
	mutate(orla, api.Mutation{Type: api.MutReassign, ToUserID: bea.ID, Body: "yours, Bea"})
	pull(orla, orlaApp)
	receive("Is this the campaign?")
	if got := pull(beaC, beaApp); !slices.Equal(got, []string{"Is this the campaign?"}) {
		t.Fatalf("Bea's app was told of %q, want the reply", got)
	}
	receive("Still there?") // on the server, not in Bea's app
	f.clock.Advance(time.Minute)
	if err := beaApp.MarkRead(ctx, as.ContactID, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	reads, err := beaApp.PendingMutations(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(reads) != 1 || reads[0].Type != api.MutRead {
		t.Fatalf("Bea's app queued %+v, want one read", reads)
	}
	wantApplied(t, push(t, beaC, reads[0]))
	mutate(beaC, api.Mutation{Type: api.MutReassign, ToUserID: f.admin.ID, Body: "back to you"})

	if got := pull(orla, orlaApp); !slices.Equal(got, []string{"Still there?"}) {
		t.Errorf("the hand-back told Orla of %q; want the reply Bea's app never had, and not the one she read", got)
	}
}
