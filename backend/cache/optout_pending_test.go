package cache_test

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
)

// TestPendingOptOutReport: a report tagging Opt Out, still in the outbox
// (offline), shows its effect at once as the server will: the thread is
// opted out and leaves Needs Attention. A report without the tag does not
// opt anyone out.
func TestPendingOptOutReport(t *testing.T) {
	c := open(t)
	seed(t, c)
	ctx := context.Background()
	for _, id := range []string{"k1", "k2"} {
		th := serverThread(id, api.ActionP2P)
		th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = at(0), at(1), *at(1)
		apply(t, c, change(t, 5, api.KindThread, id, th),
			change(t, 6, api.KindMessage, "m-"+id, api.Message{ID: "m-" + id, ThreadID: id, Direction: api.DirInbound, Body: "please remove me", CreatedAt: *at(1), LikelyOptOut: true}))
	}
	counts, err := c.Counts(ctx, "")
	if err != nil || counts[inbox.NeedsAttention] != 2 {
		t.Fatalf("setup: counts %v %v", counts, err)
	}
	if err := c.Report(ctx, "k1", "rep1", map[string]string{"opt_out": "true"}, *at(2)); err != nil {
		t.Fatal(err)
	}
	if err := c.Report(ctx, "k2", "rep2", map[string]string{"opt_out": "false", "notes": "not an opt-out"}, *at(2)); err != nil {
		t.Fatal(err)
	}
	counts, err = c.Counts(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	k1, err := c.Thread(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	k2, err := c.Thread(ctx, "k2")
	if err != nil {
		t.Fatal(err)
	}
	if !k1.Thread.OptedOut || k2.Thread.OptedOut {
		t.Fatalf("opted out: k1 %v, k2 %v; want k1 only", k1.Thread.OptedOut, k2.Thread.OptedOut)
	}
	if counts[inbox.NeedsAttention] != 1 {
		t.Fatalf("Needs Attention counts %d, want 1 (k2 still awaits a reply; k1, opted out, leaves)", counts[inbox.NeedsAttention])
	}
}
