package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

// TestReplyAnswersTheRepliesHeld: a reply answers the contact's replies
// the app held when the volunteer wrote it (its at, the server's
// AnsweredThrough), not every reply before its text. Written offline by a
// clock an hour fast, and then "Hello??" came: the reply's text here (and,
// once applied, the server's) was dated after it, and the thread left
// Needs Attention though nobody answered it. Fails without the fix at
// both steps. A reply written with it held answers it; a thread from a
// server that does not say keeps the old rule. The row says unanswered
// (its badge "Needs attention", not "Needs a report", though the last
// text is ours).
func TestReplyAnswersTheRepliesHeld(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	th := serverThread("k1", api.ActionP2P)
	// A report is filed: what is left of Needs Attention is the answer.
	th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt, th.LastReportAt, th.ReportedThrough = at(-10), at(0), t0, at(-5), at(-5)
	apply(t, c,
		change(t, 10, api.KindThread, "k1", th),
		change(t, 11, api.KindMessage, "m0", api.Message{ID: "m0", ThreadID: "k1", Direction: api.DirOutbound, Body: "Hi!", Status: api.StatusDelivered, CreatedAt: *at(-10)}),
		change(t, 12, api.KindMessage, "m1", api.Message{ID: "m1", ThreadID: "k1", Direction: api.DirInbound, Body: "Who is this?", Status: api.StatusReceived, CreatedAt: t0}),
	)
	attention := func(step, id string, want bool) {
		t.Helper()
		d, err := c.Thread(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.NeedsAttention != want {
			t.Fatalf("%s: needs attention %v, want %v", step, d.NeedsAttention, want)
		}
		rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.NeedsAttention})
		if err != nil {
			t.Fatal(err)
		}
		listed := false
		for _, r := range rows {
			listed = listed || r.ID == id
		}
		if listed != want {
			t.Fatalf("%s: listed under Needs Attention %v, want %v", step, listed, want)
		}
		// The row says what it waits for: an answer (a report is filed).
		all, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.All})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range all {
			if r.ID == id && r.Unanswered != want {
				t.Fatalf("%s: the row says unanswered %v, want %v", step, r.Unanswered, want)
			}
		}
	}
	if err := c.Reply(ctx, "k1", "a1", "We're volunteers with the campaign.", "", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	ms, err := c.PendingMutations(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].At == nil || !ms[0].At.Equal(t0) {
		t.Fatalf("queued %+v, want one reply reaching as far as the reply held, %v", ms, t0)
	}
	attention("reply queued with the reply held", "k1", false)

	// Before it reaches the server, the contact writes again.
	th.LastInboundAt, th.LastMessageAt = at(2), *at(2)
	apply(t, c,
		change(t, 13, api.KindThread, "k1", th),
		change(t, 14, api.KindMessage, "m2", api.Message{ID: "m2", ThreadID: "k1", Direction: api.DirInbound, Body: "Hello??", Status: api.StatusReceived, CreatedAt: *at(2)}),
	)
	attention("reply queued before the next reply came", "k1", true)

	// The server takes it a minute later and dates it then; it answered
	// only the first reply.
	if err := c.MarkApplied(ctx, []api.MutationResult{{ID: ms[0].ID, Status: api.ResultApplied}}); err != nil {
		t.Fatal(err)
	}
	th.LastOutboundAt, th.LastMessageAt, th.AnsweredThrough = at(3), *at(3), &t0
	apply(t, c,
		change(t, 15, api.KindMessage, "a1", api.Message{ID: "a1", ThreadID: "k1", Direction: api.DirOutbound, Body: "We're volunteers with the campaign.",
			Status: api.StatusQueued, CreatedAt: *at(3)}),
		change(t, 16, api.KindThread, "k1", th),
	)
	attention("reply taken after the next reply came", "k1", true)

	// Answered with "Hello??" held, by a clock an hour slow.
	if err := c.Reply(ctx, "k1", "a2", "Sorry, we're with the campaign.", "", t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	attention("reply queued with the next reply held", "k1", false)

	// A thread from a server that does not say how far its answers reach
	// keeps the old rule: a text after the reply answers it.
	old := serverThread("k2", api.ActionP2P)
	old.LastOutboundAt, old.LastInboundAt, old.LastMessageAt, old.LastReportAt = at(3), at(2), *at(3), at(-5)
	apply(t, c,
		change(t, 17, api.KindThread, "k2", old),
		change(t, 18, api.KindMessage, "m3", api.Message{ID: "m3", ThreadID: "k2", Direction: api.DirInbound, Body: "Hello??", Status: api.StatusReceived, CreatedAt: *at(2)}),
		change(t, 19, api.KindMessage, "a3", api.Message{ID: "a3", ThreadID: "k2", Direction: api.DirOutbound, Body: "Hi", Status: api.StatusDelivered, CreatedAt: *at(3)}),
	)
	attention("a thread from an older server", "k2", false)
}
