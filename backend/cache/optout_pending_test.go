package cache_test

import (
	"context"
	"fmt"
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

// TestPendingOptOutShowsOnTheNumbersOtherThreads: a pending report tagging
// Opt Out shows at once on every local thread of the number in the
// campaign (another action's, another batch's), in the same write, and
// stays while the report waits even when one of them changes; a thread of
// another number, or of the number in another campaign whose organization
// the cache does not know (an older server's), is left as it was. The server refusing the
// report takes the Opt Out off them all again.
func TestPendingOptOutShowsOnTheNumbersOtherThreads(t *testing.T) {
	c := open(t)
	seed(t, c)
	ctx := context.Background()
	const phone = "+15550109999"
	apply(t, c, change(t, 5, api.KindCampaign, "c2", api.Campaign{ID: "c2", Name: "Vote No"}),
		change(t, 6, api.KindAction, "a2", api.Action{ID: "a2", CampaignID: "c1", Type: api.ActionP2P, Title: "Recruit"}),
		change(t, 7, api.KindAction, "a3", api.Action{ID: "a3", CampaignID: "c2", Type: api.ActionP2P, Title: "Persuade"}))
	threads := map[string]api.Thread{}
	for i, id := range []string{"same", "sibling", "other-number", "other-campaign"} {
		th := serverThread(id, api.ActionP2P)
		th.ContactPhone = phone
		switch id {
		case "sibling":
			th.ActionID = "a2"
		case "other-number":
			th.ContactPhone = "+15550108888"
		case "other-campaign":
			th.ActionID, th.CampaignID = "a3", "c2"
		}
		th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = at(0), at(1), *at(1)
		threads[id] = th
		apply(t, c, change(t, int64(10+2*i), api.KindThread, id, th),
			change(t, int64(11+2*i), api.KindMessage, "m-"+id, api.Message{ID: "m-" + id, ThreadID: id, Direction: api.DirInbound, Body: "hi", CreatedAt: *at(1)}))
	}
	optedOut := func(when string, want map[string]bool) {
		t.Helper()
		for id, w := range want {
			v, err := c.Thread(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if v.Thread.OptedOut != w {
				t.Errorf("%s: thread %s opted out %v, want %v", when, id, v.Thread.OptedOut, w)
			}
		}
	}
	optedOut("before the report", map[string]bool{"same": false, "sibling": false, "other-number": false, "other-campaign": false})

	if err := c.Report(ctx, "same", "rep1", map[string]string{"opt_out": "true"}, *at(2)); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"same": true, "sibling": true, "other-number": false, "other-campaign": false}
	optedOut("report pending", want)
	counts, err := c.Counts(ctx, "c1")
	if err != nil || counts[inbox.NeedsAttention] != 1 {
		t.Fatalf("c1 Needs Attention %v (%v), want 1: only the other number's thread", counts, err)
	}
	if ids, err := c.NumberThreads(ctx, "same"); err != nil || fmt.Sprint(ids) != "[same sibling]" {
		t.Fatalf("NumberThreads %v %v", ids, err)
	}

	// A new reply on the sibling re-derives it from the server's state: the
	// pending report still counts.
	apply(t, c, change(t, 30, api.KindMessage, "m2-sibling", api.Message{ID: "m2-sibling", ThreadID: "sibling", Direction: api.DirInbound, Body: "again", CreatedAt: *at(3)}))
	optedOut("after a reply on the sibling", want)

	out, err := c.Outbox(ctx)
	if err != nil || len(out) != 1 {
		t.Fatalf("outbox %v %v", out, err)
	}
	if err := c.MarkRejected(ctx, out[0].Mutation.ID, api.RejectInvalid, "no such field"); err != nil {
		t.Fatal(err)
	}
	optedOut("report refused", map[string]bool{"same": false, "sibling": false, "other-number": false, "other-campaign": false})
}

// TestPendingOptOutShowsAcrossTheOrganization: the server opts a number out
// of its whole organization, so a pending report tagging Opt Out shows at
// once on the number's threads in the organization's other campaigns too,
// and NumberThreads lists them for the window; threads in another
// organization's campaign, or in a campaign whose organization the cache
// was not told, are left as they were. Refused, it comes off them all.
func TestPendingOptOutShowsAcrossTheOrganization(t *testing.T) {
	c := open(t)
	seed(t, c)
	ctx := context.Background()
	const phone = "+15550109999"
	campaigns := map[string]string{"c1": "org1", "c2": "org1", "c3": "org2", "c4": ""}
	seq := int64(5)
	for id, org := range campaigns {
		apply(t, c, change(t, seq, api.KindCampaign, id, api.Campaign{ID: id, Name: "Campaign " + id, OrganizationID: org}),
			change(t, seq+1, api.KindAction, "a-"+id, api.Action{ID: "a-" + id, CampaignID: id, Type: api.ActionP2P, Title: "Texts"}))
		seq += 2
	}
	for id := range campaigns {
		th := serverThread("t-"+id, api.ActionP2P)
		th.ContactPhone, th.ActionID, th.CampaignID = phone, "a-"+id, id
		th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = at(0), at(1), *at(1)
		apply(t, c, change(t, seq, api.KindThread, th.ID, th),
			change(t, seq+1, api.KindMessage, "m-"+th.ID, api.Message{ID: "m-" + th.ID, ThreadID: th.ID, Direction: api.DirInbound, Body: "hi", CreatedAt: *at(1)}))
		seq += 2
	}
	optedOut := func(when string, want map[string]bool) {
		t.Helper()
		for id, w := range want {
			v, err := c.Thread(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if v.Thread.OptedOut != w {
				t.Errorf("%s: thread %s opted out %v, want %v", when, id, v.Thread.OptedOut, w)
			}
		}
	}
	if err := c.Report(ctx, "t-c1", "rep1", map[string]string{"opt_out": "true"}, *at(2)); err != nil {
		t.Fatal(err)
	}
	optedOut("report pending", map[string]bool{"t-c1": true, "t-c2": true, "t-c3": false, "t-c4": false})
	counts, err := c.Counts(ctx, "c2")
	if err != nil || counts[inbox.NeedsAttention] != 0 {
		t.Fatalf("c2 Needs Attention %v (%v), want 0: its thread of the number is opted out", counts, err)
	}
	if counts, err := c.Counts(ctx, "c3"); err != nil || counts[inbox.NeedsAttention] != 1 {
		t.Fatalf("c3 Needs Attention %v (%v), want 1: another organization's", counts, err)
	}
	if ids, err := c.NumberThreads(ctx, "t-c1"); err != nil || fmt.Sprint(ids) != "[t-c1 t-c2]" {
		t.Fatalf("NumberThreads %v %v, want [t-c1 t-c2]", ids, err)
	}
	if ids, err := c.NumberThreads(ctx, "t-c4"); err != nil || fmt.Sprint(ids) != "[t-c4]" {
		t.Fatalf("NumberThreads of the campaign with no organization known %v %v, want [t-c4]", ids, err)
	}

	out, err := c.Outbox(ctx)
	if err != nil || len(out) != 1 {
		t.Fatalf("outbox %v %v", out, err)
	}
	if err := c.MarkRejected(ctx, out[0].Mutation.ID, api.RejectInvalid, "no such field"); err != nil {
		t.Fatal(err)
	}
	optedOut("report refused", map[string]bool{"t-c1": false, "t-c2": false, "t-c3": false, "t-c4": false})
}
