package cache_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

// cacheAt0006 makes a cache file as an app from before migration 0007
// (who sent a text) left it, holding one conversation: reassigned says
// whether it was handed to the user. It has two texts the volunteer sent
// before the handover, a sync cursor of 42, and a reply still in the outbox.
func cacheAt0006(t *testing.T, reassigned bool) string {
	t.Helper()
	dir, db := cacheBefore(t, 6)
	defer db.Close() // before the test opens the cache
	th := api.Thread{ID: "t1", ActionID: "a1", CampaignID: "c1", ActionType: "p2p", OwnerID: "admin", ContactName: "Ada",
		ContactPhone: "+12125550100", LastMessageAt: t0}
	if reassigned {
		th.Reassigned = &api.Reassignment{FromUserID: "dana", FromUserName: "Dana", At: t0}
	}
	data, err := json.Marshal(th)
	if err != nil {
		t.Fatal(err)
	}
	mutation, err := json.Marshal(api.Mutation{ID: "mut1", Type: api.MutReply, ThreadID: "t1", MessageID: "m3", Body: "I can help"})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO meta(key, value) VALUES ('cursor', '42')`, nil},
		{`INSERT INTO threads(id, action_id, campaign_id, action_type, contact_name, contact_phone, data, from_server,
			last_message_at, archived, opted_out, blocked, unread, needs_attention) VALUES ('t1', 'a1', 'c1', 'p2p', 'Ada', '+12125550100', ?, 1, ?, 0, 0, 0, 0, 0)`,
			[]any{string(data), t0.UnixNano()}},
		{`INSERT INTO messages(id, thread_id, direction, body, status, initial, created_at) VALUES
			('m1', 't1', 'out', 'Hi Ada', 'delivered', 1, ?), ('m2', 't1', 'out', 'Rides are at 9', 'delivered', 0, ?)`,
			[]any{t0.UnixNano(), t0.UnixNano() + 1}},
		{`INSERT INTO messages(id, thread_id, direction, body, status, initial, created_at, pending) VALUES
			('m3', 't1', 'out', 'I can help', 'queued', 0, ?, 1)`, []any{t0.UnixNano() + 2}},
		{`INSERT INTO outbox(id, type, payload, thread_id, message_id, created_at) VALUES ('mut1', 'reply', ?, 't1', 'm3', ?)`,
			[]any{string(mutation), t0.UnixNano()}},
	} {
		if _, err := db.Exec(q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", strings.Fields(q.sql)[2], err)
		}
	}
	return dir
}

// TestUpgradeRefetchesSendersOfReassignedTexts: a cache from before 0007
// holding a reassigned conversation's texts (no sender, so shown as "You")
// syncs again from the beginning once upgraded, which brings each text with
// its sender; the reply waiting in the outbox and the rows stay.
func TestUpgradeRefetchesSendersOfReassignedTexts(t *testing.T) {
	ctx := context.Background()
	c, err := cache.Open(ctx, cacheAt0006(t, true))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if cur, err := c.Cursor(ctx); err != nil || cur != 0 {
		t.Fatalf("cursor after the upgrade: %d, %v; want 0 (the next sync brings every text again)", cur, err)
	}
	pending, err := c.PendingMutations(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != "mut1" {
		t.Fatalf("outbox after the upgrade: %+v, %v; want the queued reply", pending, err)
	}
	// 0009: the inbox row says who handed the conversation over, at once.
	if rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.All}); err != nil || len(rows) != 1 || rows[0].ReassignedFrom != "Dana" {
		t.Fatalf("inbox rows after the upgrade: %+v, %v; want t1 reassigned from Dana", rows, err)
	}

	// The first page of that sync: the thread and its texts as they are now.
	th := api.Thread{ID: "t1", ActionID: "a1", CampaignID: "c1", ActionType: "p2p", OwnerID: "admin", ContactName: "Ada",
		ContactPhone: "+12125550100", LastMessageAt: t0, LastOutboundAt: at(0),
		Reassigned: &api.Reassignment{FromUserID: "dana", FromUserName: "Dana", At: t0}}
	msg := func(id, body string, min int, initial bool) api.Message {
		return api.Message{ID: id, ThreadID: "t1", Direction: api.DirOutbound, Body: body, Status: api.StatusDelivered,
			Initial: initial, CreatedAt: *at(min), SentBy: "dana", SentByName: "Dana"}
	}
	res := apply(t, c, change(t, 50, api.KindThread, "t1", th), change(t, 51, api.KindMessage, "m1", msg("m1", "Hi Ada", 0, true)),
		change(t, 52, api.KindMessage, "m2", msg("m2", "Rides are at 9", 0, false)))
	if len(res.Reassigned) != 0 || len(res.NewInbound) != 0 {
		t.Fatalf("the sync again announced %+v / %+v; a thread the cache held is no news", res.Reassigned, res.NewInbound)
	}
	d, err := c.Thread(ctx, "t1")
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]string{}
	for _, m := range d.Messages {
		by[m.ID] = m.SentByName
	}
	if by["m1"] != "Dana" || by["m2"] != "Dana" {
		t.Fatalf("senders after the sync: %v; want Dana's texts named hers", by)
	}
	if _, ok := by["m3"]; !ok {
		t.Fatal("the reply waiting in the outbox left the conversation")
	}
	if pending, err := c.PendingMutations(ctx, 10); err != nil || len(pending) != 1 {
		t.Fatalf("outbox after the sync: %+v, %v", pending, err)
	}
}

// TestUpgradeKeepsCursorWithoutReassignedTexts: a cache whose texts without
// a sender are all the user's own (nothing was reassigned to them) shows
// them rightly as "You" and keeps its cursor: no needless full sync.
func TestUpgradeKeepsCursorWithoutReassignedTexts(t *testing.T) {
	ctx := context.Background()
	c, err := cache.Open(ctx, cacheAt0006(t, false))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if cur, err := c.Cursor(ctx); err != nil || cur != 42 {
		t.Fatalf("cursor after the upgrade: %d, %v; want 42 kept", cur, err)
	}
	if rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.All}); err != nil || len(rows) != 1 || rows[0].ReassignedFrom != "" {
		t.Fatalf("inbox rows after the upgrade: %+v, %v; want t1, not reassigned", rows, err)
	}
}

// TestInboxRowSaysWhoReassignedIt: a thread handed to the user lists who
// handed it over; handed on again to someone unnamed it says "someone";
// once the server's thread has no handover, the row says none.
func TestInboxRowSaysWhoReassignedIt(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	th := serverThread("k1", api.ActionP2P)
	from := func() string {
		t.Helper()
		rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.All, CampaignID: "c1"})
		if err != nil || len(rows) != 1 {
			t.Fatalf("rows %+v, %v", rows, err)
		}
		return rows[0].ReassignedFrom
	}
	apply(t, c, change(t, 5, api.KindThread, "k1", th))
	if got := from(); got != "" {
		t.Fatalf("a thread never reassigned: %q", got)
	}
	th.Reassigned = &api.Reassignment{FromUserID: "v1", FromUserName: "Vera", At: t0}
	apply(t, c, change(t, 6, api.KindThread, "k1", th))
	if got := from(); got != "Vera" {
		t.Fatalf("handed over by Vera: %q", got)
	}
	th.Reassigned = &api.Reassignment{FromUserID: "v2", At: t0}
	apply(t, c, change(t, 7, api.KindThread, "k1", th))
	if got := from(); got != "someone" {
		t.Fatalf("handed over by someone unnamed: %q", got)
	}
	th.Reassigned = nil
	apply(t, c, change(t, 8, api.KindThread, "k1", th))
	if got := from(); got != "" {
		t.Fatalf("no handover any more: %q", got)
	}
}
