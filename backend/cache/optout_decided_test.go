package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

// TestReportDecidesTheRepliesHeld: a report decides a likely opt-out only
// if the app held it when the volunteer filled the report (the report's at,
// the server's ReportedThrough), not by when it was filed or reached the
// server. A report filled offline, by a clock an hour fast, and then
// "Please remove me": the cache took the report's own date (and, once
// applied, the server's, after the request) as deciding it, so "This may be
// an opt-out request" never showed. Fails without the fix at both steps.
func TestReportDecidesTheRepliesHeld(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	th := serverThread("k1", api.ActionP2P)
	th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = at(-10), at(0), t0
	apply(t, c,
		change(t, 10, api.KindThread, "k1", th),
		change(t, 11, api.KindMessage, "m1", api.Message{ID: "m1", ThreadID: "k1", Direction: api.DirInbound, Body: "Who is this?", Status: api.StatusReceived, CreatedAt: t0}),
	)
	if err := c.Report(ctx, "k1", "r1", map[string]string{"notes": "asked who we are"}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	ms, err := c.PendingMutations(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].At == nil || !ms[0].At.Equal(t0) {
		t.Fatalf("queued %+v, want one report reaching as far as the reply held, %v", ms, t0)
	}
	undecided := func(step, id string, want bool) {
		t.Helper()
		d, err := c.Thread(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.OptOutUndecided != want || (want && !d.NeedsAttention) {
			t.Fatalf("%s: opt-out undecided %v, needs attention %v; want %v", step, d.OptOutUndecided, d.NeedsAttention, want)
		}
		rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.NeedsAttention})
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, r := range rows {
			got = got || (r.ID == id && r.OptOutUndecided)
		}
		if got != want {
			t.Fatalf("%s: the Needs Attention row says undecided %v, want %v", step, got, want)
		}
	}

	// Before it reaches the server, the contact asks to be removed.
	th.LastInboundAt, th.LastMessageAt = at(2), *at(2)
	apply(t, c,
		change(t, 12, api.KindThread, "k1", th),
		change(t, 13, api.KindMessage, "m2", api.Message{ID: "m2", ThreadID: "k1", Direction: api.DirInbound, Body: "Please remove me",
			Status: api.StatusReceived, CreatedAt: *at(2), LikelyOptOut: true}),
	)
	undecided("report queued before the request", "k1", true)

	// The server applies it a minute later and dates it then; it reached
	// only the first reply.
	if err := c.MarkApplied(ctx, []api.MutationResult{{ID: ms[0].ID, Status: api.ResultApplied}}); err != nil {
		t.Fatal(err)
	}
	th.LastReportAt, th.ReportedThrough = at(3), &t0
	apply(t, c,
		change(t, 14, api.KindReport, "r1", api.Report{ID: "r1", ThreadID: "k1", Values: map[string]string{"notes": "asked who we are"}, SubmittedAt: *at(3)}),
		change(t, 15, api.KindThread, "k1", th),
	)
	undecided("report applied after the request", "k1", true)

	// The banner's Not an opt-out, filed with the request held, decides it.
	if err := c.Report(ctx, "k1", "r2", map[string]string{"opt_out": "false"}, t0.Add(-time.Hour)); err != nil { // a clock an hour slow
		t.Fatal(err)
	}
	undecided("Not an opt-out filed with the request held", "k1", false)

	// A thread from a server that does not say how far its reports reach
	// keeps the old rule: a report filed after the request decides it.
	old := serverThread("k2", api.ActionP2P)
	old.LastOutboundAt, old.LastInboundAt, old.LastMessageAt, old.LastReportAt = at(-10), at(2), *at(2), at(3)
	apply(t, c,
		change(t, 16, api.KindThread, "k2", old),
		change(t, 17, api.KindMessage, "m3", api.Message{ID: "m3", ThreadID: "k2", Direction: api.DirInbound, Body: "Please remove me",
			Status: api.StatusReceived, CreatedAt: *at(2), LikelyOptOut: true}),
	)
	undecided("a thread from an older server", "k2", false)
}
