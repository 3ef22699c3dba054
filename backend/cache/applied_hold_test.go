package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
)

// TestAppliedChangeHoldsUntilTheServersThread: between a push the server
// applied and the pull that brings the server's thread, the thread stays
// as the change left it. The volunteer answered the contact's second
// question and filed a report; the push took the answer, and the report,
// refreshing the thread before the pull came (or with the pull failing,
// offline), dropped the answer's reach: the thread went back to Needs
// Attention ("no reply since") until the server's thread came. Fails
// without the hold. The server's thread, when it comes, decides.
func TestAppliedChangeHoldsUntilTheServersThread(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	// The first question was answered (through it); the second came since.
	th := serverThread("k1", api.ActionP2P)
	th.LastInboundAt, th.LastOutboundAt, th.AnsweredThrough, th.LastMessageAt = at(5), at(2), at(1), *at(5)
	th.LastReadAt = at(5)
	apply(t, c,
		change(t, 10, api.KindThread, "k1", th),
		change(t, 11, api.KindMessage, "in1", api.Message{ID: "in1", ThreadID: "k1", Direction: api.DirInbound, Body: "When?", Status: api.StatusReceived, CreatedAt: *at(1)}),
		change(t, 12, api.KindMessage, "out1", api.Message{ID: "out1", ThreadID: "k1", Direction: api.DirOutbound, Body: "Tuesday", Status: api.StatusSent, CreatedAt: *at(2)}),
		change(t, 13, api.KindMessage, "in2", api.Message{ID: "in2", ThreadID: "k1", Direction: api.DirInbound, Body: "Where?", Status: api.StatusReceived, CreatedAt: *at(5)}),
	)
	needsAttention := func(step string, want bool) {
		t.Helper()
		d, err := c.Thread(ctx, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if d.NeedsAttention != want {
			t.Fatalf("%s: needs attention %v, want %v (answered through %v, last in %v)", step, d.NeedsAttention, want, d.Thread.AnsweredThrough, d.Thread.LastInboundAt)
		}
	}
	needsAttention("the second question came", true)
	if err := c.Reply(ctx, "k1", "out2", "At the library", "", t0.Add(6*time.Minute)); err != nil {
		t.Fatal(err)
	}
	pending, err := c.PendingMutations(ctx, 10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending %v, %v", pending, err)
	}
	if err := c.MarkApplied(ctx, []api.MutationResult{{ID: pending[0].ID, Status: "applied"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Report(ctx, "k1", uuid.NewString(), map[string]string{"notes": "asked where"}, t0.Add(7*time.Minute)); err != nil {
		t.Fatal(err)
	}
	needsAttention("answered and reported, the answer applied, its thread not pulled yet", false)
	if n, err := c.PendingCount(ctx); err != nil || n != 1 {
		t.Fatalf("%d changes pending (%v), want the report alone", n, err)
	}

	// The server's thread with the answer comes: it decides. Here it
	// says the answer reached only the first question (written before
	// the second came, say).
	th.LastOutboundAt, th.LastMessageAt = at(6), *at(6)
	apply(t, c, change(t, 20, api.KindThread, "k1", th))
	needsAttention("the server's thread came, answering through the first question", true)

	// Again, with no hold left before it: the answer holds as the first.
	if err := c.Reply(ctx, "k1", "out3", "The library on Main St", "", t0.Add(8*time.Minute)); err != nil {
		t.Fatal(err)
	}
	pending, err = c.PendingMutations(ctx, 10)
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending %v, %v", pending, err)
	}
	if err := c.MarkApplied(ctx, []api.MutationResult{{ID: pending[0].ID, Status: "applied"}, {ID: pending[1].ID, Status: "applied"}}); err != nil {
		t.Fatal(err)
	}
	apply(t, c, change(t, 30, api.KindThread, "k2", serverThread("k2", api.ActionP2P)))
	if err := c.Report(ctx, "k1", uuid.NewString(), map[string]string{"notes": "asked which library"}, t0.Add(9*time.Minute)); err != nil {
		t.Fatal(err)
	}
	needsAttention("answered again, another thread's page since, then a report", false)
	th.LastOutboundAt, th.AnsweredThrough, th.LastMessageAt, th.LastReportAt = at(8), at(5), *at(8), at(7)
	apply(t, c, change(t, 31, api.KindThread, "k1", th))
	needsAttention("the server's thread came, answering through the second question", false)
}
