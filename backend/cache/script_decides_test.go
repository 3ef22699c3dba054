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

// TestQueuedScriptReplyKeepsTheScriptShown: a queued reply files the
// tags of its response script as the app showed it when the volunteer
// picked it, as the server does (it finds that version among the
// script's versions), whatever the organizer's edit synced while the reply
// waits says. The cache judged it by the action as held at each refresh:
// "This may be an opt-out request" came back for a tagging script whose
// tags the edit removed, and went for one the edit gave tags to, though
// the server files what the volunteer picked. A reply queued after the
// edit goes by the edit. Fails without the fix at the edit.
func TestQueuedScriptReplyKeepsTheScriptShown(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	action := func(v int64, scripts ...api.ResponseScript) {
		t.Helper()
		apply(t, c, change(t, v, api.KindAction, "a1", api.Action{ID: "a1", CampaignID: "c1", Type: api.ActionP2P, Title: "Get out the vote",
			Scripts: []string{"Hi {first_name}"}, SendingNumber: "+15550001000",
			ReportFields:    []api.ReportField{{Key: "will_vote", Label: "Will vote", Kind: "tag"}},
			ResponseScripts: scripts}))
	}
	action(5, api.ResponseScript{ID: "thanks", Label: "Thanks", Body: "Thanks!"},
		api.ResponseScript{ID: "vote", Label: "Will vote", Body: "Great, see you at the polls.", Tags: []string{"will_vote"}})
	threads := map[string]api.Thread{}
	version := int64(10)
	asked := func(id string) {
		t.Helper()
		th := serverThread(id, api.ActionP2P)
		th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = at(-10), at(0), t0
		threads[id] = th
		apply(t, c,
			change(t, version, api.KindThread, id, th),
			change(t, version+1, api.KindMessage, "in-"+id, api.Message{ID: "in-" + id, ThreadID: id, Direction: api.DirInbound,
				Body: "Please remove me", Status: api.StatusReceived, CreatedAt: t0, LikelyOptOut: true}),
		)
		version += 2
	}
	undecided := func(step, id string, want bool) {
		t.Helper()
		d, err := c.Thread(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.OptOutUndecided != want {
			t.Fatalf("%s: %s's opt-out undecided %v, want %v", step, id, d.OptOutUndecided, want)
		}
	}
	asked("k1")
	asked("k2")
	if err := c.Reply(ctx, "k1", "r1", "Great, see you at the polls.", "vote", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := c.Reply(ctx, "k2", "r2", "Thanks!", "thanks", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	undecided("queued", "k1", false)
	undecided("queued", "k2", true)

	// The organizer edits: "vote" files no tags now, "thanks" does. The
	// threads are refreshed (their server rows come again).
	action(20, api.ResponseScript{ID: "thanks", Label: "Thanks", Body: "Thanks!", Tags: []string{"will_vote"}},
		api.ResponseScript{ID: "vote", Label: "Will vote", Body: "See you at the polls!"})
	apply(t, c, change(t, 21, api.KindThread, "k1", threads["k1"]), change(t, 22, api.KindThread, "k2", threads["k2"]))
	undecided("the edit synced", "k1", false)
	undecided("the edit synced", "k2", true)

	version = 30
	asked("k3")
	if err := c.Reply(ctx, "k3", "r3", "See you at the polls!", "vote", t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	undecided("queued after the edit", "k3", true)
}
