package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// texted sets up a volunteer who has sent the first text to n contacts.
func texted(t *testing.T, f *fixture, cf campaignFix, n int) (*api.Client, []api.Assignment, string) {
	t.Helper()
	c, _ := f.member("vera", cf)
	b, err := c.Batch(context.Background(), cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range b.Assigned[:n] {
		res, _ := sendInitial(t, c, a.ContactID)
		wantApplied(t, res)
	}
	sent := f.net.Sent()
	return c, b.Assigned[:n], sent[len(sent)-1].From
}

func TestInboundRouting(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	c, assigned, from := texted(t, f, cf, 2)
	contact := assigned[0]

	receive := func(t *testing.T, providerID, body string) {
		t.Helper()
		f.clock.Advance(time.Second)
		if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: providerID, From: contact.Phone, To: from, Body: body, ReceivedAt: f.clock.Now()}); err != nil {
			t.Fatalf("receive %q: %v", body, err)
		}
	}
	state := syncState{}
	cursor := syncAll(t, c, state, 0, 0)

	t.Run("reply lands in the thread, unread and needing attention", func(t *testing.T) {
		// Archived first: a new reply brings it back.
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutArchive, ThreadID: contact.ContactID, Archived: ptr(true)}))
		receive(t, "SM-1", "Yes I will vote!")
		cursor = syncAll(t, c, state, cursor, 0)
		th := state.thread(t, contact.ContactID)
		st := stateOf(th)
		if th.Archived || !inbox.IsUnread(st) || !inbox.NeedsAttentionNow(st) {
			t.Fatalf("thread = %+v, want unarchived, unread, needing attention", th)
		}
		msgs := state.messages(t, th.ID)
		if len(msgs) != 2 {
			t.Fatalf("%d messages, want 2", len(msgs))
		}
	})
	t.Run("same provider id is stored once", func(t *testing.T) {
		receive(t, "SM-1", "Yes I will vote!")
		cursor = syncAll(t, c, state, cursor, 0)
		if msgs := state.messages(t, contact.ContactID); len(msgs) != 2 {
			t.Fatalf("%d messages after a duplicate, want 2", len(msgs))
		}
	})
	t.Run("reading clears unread", func(t *testing.T) {
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutRead, ThreadID: contact.ContactID}))
		cursor = syncAll(t, c, state, cursor, 0)
		if inbox.IsUnread(stateOf(state.thread(t, contact.ContactID))) {
			t.Fatal("thread still unread after read")
		}
	})
	t.Run("unknown sender is kept as unroutable", func(t *testing.T) {
		if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-X", From: "+13125550000", To: from, Body: "who is this?", ReceivedAt: f.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-X", From: "+13125550000", To: from, Body: "who is this?", ReceivedAt: f.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		var got []store.Unroutable
		f.view(func(tx store.Tx) error {
			var err error
			got, err = tx.ListUnroutable(ctx, 10)
			return err
		})
		if len(got) != 1 || got[0].Body != "who is this?" {
			t.Fatalf("unroutable = %+v, want the one message", got)
		}
	})
	t.Run("STOP opts out across the organization", func(t *testing.T) {
		receive(t, "SM-2", "  stop. ")
		cursor = syncAll(t, c, state, cursor, 0)
		th := state.thread(t, contact.ContactID)
		if !th.OptedOut || inbox.NeedsAttentionNow(stateOf(th)) {
			t.Fatalf("thread = %+v, want opted out and not needing attention", th)
		}
		r := push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: contact.ContactID, MessageID: uuid.NewString(), Body: "ok"})
		wantRejected(t, r, api.RejectOptedOut)
		var opted bool
		f.view(func(tx store.Tx) error {
			var err error
			opted, err = tx.IsOptedOut(ctx, f.org.ID, contact.Phone)
			return err
		})
		if !opted {
			t.Fatal("no opt-out record")
		}
	})
	t.Run("later reply from opted-out contact is stored but needs nothing", func(t *testing.T) {
		before := state.thread(t, contact.ContactID)
		receive(t, "SM-3", "why are you still here")
		cursor = syncAll(t, c, state, cursor, 0)
		th := state.thread(t, contact.ContactID)
		if !th.LastInboundAt.Equal(*before.LastInboundAt) || inbox.NeedsAttentionNow(stateOf(th)) {
			t.Fatalf("thread = %+v, want unchanged attention state", th)
		}
		if msgs := state.messages(t, contact.ContactID); len(msgs) != 4 {
			t.Fatalf("%d messages, want 4 (initial, yes, stop, later)", len(msgs))
		}
	})
	t.Run("other contact unaffected", func(t *testing.T) {
		th := state.thread(t, assigned[1].ContactID)
		if th.OptedOut || th.LastInboundAt != nil {
			t.Fatalf("other thread = %+v", th)
		}
	})
}

func TestEventsAfterInboundReply(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	c, assigned, from := texted(t, f, cf, 1)
	page, err := c.Sync(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}

	events := make(chan api.Event, 16)
	opened := make(chan struct{})
	streamCtx, stopStream := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- c.Stream(streamCtx, func() { close(opened) }, func(ev api.Event) { events <- ev })
	}()
	next := func() api.Event {
		select {
		case ev := <-events:
			return ev
		case <-ctx.Done():
			t.Fatal("no event")
		}
		return api.Event{}
	}
	<-opened
	if ev := next(); ev.Version != page.Cursor {
		t.Fatalf("first event version %d, want current %d", ev.Version, page.Cursor)
	}
	if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-ev", From: assigned[0].Phone, To: from, Body: "hello", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev.Version <= page.Cursor {
		t.Fatalf("event version %d after a reply, want > %d", ev.Version, page.Cursor)
	}
	stopStream()
	if err := <-done; err != nil && ctx.Err() == nil && err != context.Canceled {
		t.Fatalf("stream ended with %v", err)
	}
}

func TestEventsEndOnServerClose(t *testing.T) {
	f := newFixture(t)
	c, _ := f.user("vera")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	opened := make(chan struct{})
	go func() { done <- c.Stream(ctx, func() { close(opened) }, func(api.Event) {}) }()
	<-opened
	f.srv.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("stream ended with %v, want a clean end", err)
		}
	case <-ctx.Done():
		t.Fatal("stream did not end when the server closed")
	}
}

func TestArchiveInactive(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, assigned, _ := texted(t, f, cf, 2)
	f.clock.Advance(59 * 24 * time.Hour)
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: assigned[1].ContactID, MessageID: uuid.NewString(), Body: "still there?"}))
	f.clock.Advance(2 * 24 * time.Hour)
	n, err := f.srv.ArchiveInactive(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("archived %d, %v; want 1", n, err)
	}
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	if th := state.thread(t, assigned[0].ContactID); !th.Archived || th.ArchivedReason != "inactive" {
		t.Fatalf("old thread = %+v, want archived inactive", th)
	}
	if th := state.thread(t, assigned[1].ContactID); th.Archived {
		t.Fatalf("active thread archived")
	}
	if n, _ := f.srv.ArchiveInactive(context.Background()); n != 0 {
		t.Fatalf("second run archived %d, want 0", n)
	}
}
