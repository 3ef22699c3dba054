package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/sms"
)

// TestFailedReplyStillNeedsAttention: the contact asked; the volunteer's
// answer failed at the provider. The contact got nothing back, so the
// thread still needs attention in the app, although the server moved the
// thread's lastOutboundAt when it accepted the reply.
func TestFailedReplyStillNeedsAttention(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	c, assigned, from := texted(t, f, cf, 1)
	id := assigned[0].ContactID
	f.clock.Advance(time.Minute)
	if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-q", From: assigned[0].Phone, To: from, Body: "When is election day?", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	// A report, so only the "no reply since" half is in play.
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, CreatedAt: f.clock.Now(), ThreadID: id, ReportID: uuid.NewString(),
		Values: map[string]string{"notes": "asked a question"}}))
	f.clock.Advance(time.Minute)
	f.faults.failSends(assigned[0].Phone, &sms.Error{Code: "30006", Message: "Landline or unreachable carrier"})
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, CreatedAt: f.clock.Now(), ThreadID: id, MessageID: uuid.NewString(),
		Body: "Tuesday Nov 3!"}))
	f.drain()

	ch, err := cache.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	syncInto(t, c, ch, 0)
	d, err := ch.Thread(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if last := d.Messages[len(d.Messages)-1]; last.Status != api.StatusFailed {
		t.Fatalf("the reply is %s, want failed", last.Status)
	}
	counts, err := ch.Counts(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if counts[inbox.NeedsAttention] != 1 {
		t.Fatalf("the reply failed at the provider, yet Needs Attention counts %d (thread lastOutboundAt %v, lastInboundAt %v, optedOut %v)",
			counts[inbox.NeedsAttention], d.Thread.LastOutboundAt, d.Thread.LastInboundAt, d.Thread.OptedOut)
	}
}

// syncInto applies every sync page after cursor from the server into an
// app's cache, as the app's pull does, and returns the cursor reached.
func syncInto(t *testing.T, c *api.Client, ch *cache.Cache, cursor int64) int64 {
	t.Helper()
	for {
		page, err := c.Sync(context.Background(), cursor, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ch.ApplyPage(context.Background(), page); err != nil {
			t.Fatal(err)
		}
		cursor = page.Cursor
		if !page.More {
			return cursor
		}
	}
}
