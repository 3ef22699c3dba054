package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// TestQueuedScriptReplyDecides: a response script that files report tags,
// sent with a likely opt-out held, decides it (the server files the tags
// as a report reaching the reply's at), and the cache now says so while
// the reply waits in the outbox: "This may be an opt-out request" stayed
// until the server's thread came, the cache not asking whether the script
// files tags. A script that files none, or one sent before the request
// came, decides nothing. Fails without the fix at the first step.
func TestQueuedScriptReplyDecides(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	apply(t, c, change(t, 5, api.KindAction, "a1", api.Action{ID: "a1", CampaignID: "c1", Type: api.ActionP2P, Title: "Get out the vote",
		Scripts: []string{"Hi {first_name}"}, SendingNumber: "+15550001000",
		ReportFields: []api.ReportField{{Key: "will_vote", Label: "Will vote", Kind: "tag"}},
		ResponseScripts: []api.ResponseScript{
			{ID: "thanks", Label: "Thanks", Body: "Thanks!"},
			{ID: "vote", Label: "Will vote", Body: "Great, see you at the polls.", Tags: []string{"will_vote"}},
		}}))
	th := serverThread("k1", api.ActionP2P)
	th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = at(-10), at(0), t0
	apply(t, c,
		change(t, 10, api.KindThread, "k1", th),
		change(t, 11, api.KindMessage, "m1", api.Message{ID: "m1", ThreadID: "k1", Direction: api.DirInbound, Body: "Please remove me",
			Status: api.StatusReceived, CreatedAt: t0, LikelyOptOut: true}),
	)
	undecided := func(step string, want bool) {
		t.Helper()
		d, err := c.Thread(ctx, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if d.OptOutUndecided != want {
			t.Fatalf("%s: opt-out undecided %v, want %v", step, d.OptOutUndecided, want)
		}
	}
	undecided("the request came", true)
	if err := c.Reply(ctx, "k1", "a1", "Thanks!", "thanks", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	undecided("a script that files no tags queued", true)
	if err := c.Reply(ctx, "k1", "a2", "Great, see you at the polls.", "vote", t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	undecided("a script that files tags queued with the request held", false)
	d, err := c.Thread(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	if d.NeedsAttention {
		t.Fatal("answered with a script that files tags (a report), the thread still needs attention")
	}

	// Another request comes before it reaches the server: the script was
	// sent without it, and decides it not.
	th.LastInboundAt, th.LastMessageAt = at(5), *at(5)
	apply(t, c,
		change(t, 12, api.KindThread, "k1", th),
		change(t, 13, api.KindMessage, "m2", api.Message{ID: "m2", ThreadID: "k1", Direction: api.DirInbound, Body: "Stop texting me please",
			Status: api.StatusReceived, CreatedAt: *at(5), LikelyOptOut: true}),
	)
	undecided("a request that came after the script was sent", true)
}
