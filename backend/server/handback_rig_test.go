package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// handBackRig is where the hand-back tests start: Vera has texted the
// campaign's one contact (as), from the number from; Orla (the fixture's
// admin) and Bea are the campaign's admins. receive and mutate move the
// clock a minute first, so every change has a time of its own.
type handBackRig struct {
	f               *fixture
	vera, orla, bea *api.Client
	beaUser         store.User
	as              api.Assignment
	from            string
}

func newHandBackRig(t *testing.T) *handBackRig {
	t.Helper()
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1, batch: 1})
	bea := f.secondAdmin(cf)
	vera, _ := f.member("vera", cf)
	b, err := vera.Batch(context.Background(), cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	as := b.Assigned[0]
	res, _ := sendInitial(t, vera, as.ContactID)
	wantApplied(t, res)
	return &handBackRig{f: f, vera: vera, orla: f.clientOf(f.admin), bea: f.clientOf(bea), beaUser: bea, as: as, from: f.sent()[0].From}
}

// receive stores the contact's reply body.
func (r *handBackRig) receive(t *testing.T, body string) {
	t.Helper()
	r.f.clock.Advance(time.Minute)
	in := sms.Inbound{ProviderID: "SM" + uuid.NewString(), From: r.as.Phone, To: r.from, Body: body, ReceivedAt: r.f.clock.Now()}
	if err := r.f.srv.Receive(context.Background(), in); err != nil {
		t.Fatal(err)
	}
}

// mutate pushes m on the conversation as c; a read without a time reads
// as of now.
func (r *handBackRig) mutate(t *testing.T, c *api.Client, m api.Mutation) {
	t.Helper()
	r.f.clock.Advance(time.Minute)
	m.ID, m.CreatedAt, m.ThreadID = uuid.NewString(), r.f.clock.Now(), r.as.ContactID
	if m.Type == api.MutRead && m.At == nil {
		m.At = ptr(r.f.clock.Now())
	}
	wantApplied(t, push(t, c, m))
}

// openApp is an app's cache of its own.
func openApp(t *testing.T) *cache.Cache {
	t.Helper()
	c, err := cache.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// pullApp syncs app from c, size changes a page, until it is caught up:
// the replies the pages announced as new, and the hand-overs.
func pullApp(t *testing.T, c *api.Client, app *cache.Cache, size int) (replies []string, handed int) {
	t.Helper()
	ctx := context.Background()
	cursor, err := app.Cursor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for {
		page, err := c.Sync(ctx, cursor, size)
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
		handed += len(res.Reassigned)
		if cursor = page.Cursor; !page.More {
			return replies, handed
		}
	}
}
