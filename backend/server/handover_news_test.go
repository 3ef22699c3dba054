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

// TestHandOverTellsTheNewOwnerOfUnreadReplies: Vera read her contacts'
// first replies, not the one that came a minute before she handed all her
// conversations to an admin; then a contact replied again, received by a
// server whose clock is five minutes behind the one that handed them over.
// The admin's app, pulling pages of any size, was told of neither (every
// reply on the hand-over's page was history, and one on a later page was
// judged by its time against the hand-over's): it is told of both, once,
// and of nothing Vera had read.
func TestHandOverTellsTheNewOwnerOfUnreadReplies(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1, batch: 2})
	vera, _ := f.member("vera", cf)
	b, err := vera.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := b.Assigned
	for _, as := range a {
		res, _ := sendInitial(t, vera, as.ContactID)
		wantApplied(t, res)
	}
	from := f.sent()[0].From
	receive := func(phone, body string, at time.Time) {
		t.Helper()
		if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM" + uuid.NewString(), From: phone, To: from, Body: body, ReceivedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	mutate := func(m api.Mutation) {
		t.Helper()
		m.ID, m.CreatedAt = uuid.NewString(), f.clock.Now()
		wantApplied(t, push(t, vera, m))
	}
	// The admin's apps, synced before any of it, one pulling two changes a
	// page (pages end everywhere in the hand-over's rows), one 500.
	sizes := []int{2, 500}
	caches := make([]*cache.Cache, len(sizes))
	for i := range sizes {
		if caches[i], err = cache.Open(ctx, t.TempDir()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { caches[i].Close() })
	}
	admin := f.clientOf(f.admin)
	pull := func(i int) (replies []string, handed int) {
		t.Helper()
		cursor, err := caches[i].Cursor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for {
			page, err := admin.Sync(ctx, cursor, sizes[i])
			if err != nil {
				t.Fatal(err)
			}
			res, err := caches[i].ApplyPage(ctx, page)
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
	for i := range sizes {
		pull(i)
	}

	for i, as := range a {
		f.clock.Advance(time.Minute)
		receive(as.Phone, []string{"Who is this?", "Is this the campaign?"}[i], f.clock.Now())
		f.clock.Advance(time.Minute)
		mutate(api.Mutation{Type: api.MutRead, ThreadID: as.ContactID, At: ptr(f.clock.Now())})
	}
	f.clock.Advance(time.Minute)
	receive(a[0].Phone, "Still there?", f.clock.Now())
	f.clock.Advance(time.Minute)
	mutate(api.Mutation{Type: api.MutReassign, ActionID: cf.action.ID, ToUserID: f.admin.ID, Body: "over to you"})
	for i, size := range sizes {
		replies, handed := pull(i)
		if handed != 2 || !slices.Equal(replies, []string{"Still there?"}) {
			t.Errorf("%d a page: the hand-over told of %q and %d conversations handed over; want only the reply Vera never read, and 2", size, replies, handed)
		}
	}

	f.clock.Advance(time.Minute)
	receive(a[1].Phone, "Hello?", f.clock.Now().Add(-5*time.Minute))
	for i, size := range sizes {
		if replies, _ := pull(i); !slices.Equal(replies, []string{"Hello?"}) {
			t.Errorf("%d a page: a reply after the hand-over dated before it told of %q, want it", size, replies)
		}
	}
}
