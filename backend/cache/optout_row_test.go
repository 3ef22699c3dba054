package cache_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

// rowOf is the inbox row of thread id under All.
func rowOf(t *testing.T, c *cache.Cache, id string) cache.ThreadRow {
	t.Helper()
	rows, err := c.ThreadRows(context.Background(), []string{id})
	if err != nil || len(rows) != 1 {
		t.Fatalf("row of %s: %+v, %v", id, rows, err)
	}
	return rows[0]
}

// TestInboxRowSaysMayBeAnOptOut: the row of a conversation whose contact
// wrote words like "please remove me" says so until a report decides it,
// whatever the report says; a reply without such words says nothing, and a
// contact who opted out is no longer undecided.
func TestInboxRowSaysMayBeAnOptOut(t *testing.T) {
	c := open(t)
	seed(t, c)
	ctx := context.Background()
	for i, id := range []string{"asks", "plain", "stops"} {
		th := serverThread(id, api.ActionP2P)
		th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = at(0), at(1), *at(1)
		th.ContactPhone = []string{"+15550100001", "+15550100002", "+15550100003"}[i]
		m := api.Message{ID: "m-" + id, ThreadID: id, Direction: api.DirInbound, Body: "please remove me", CreatedAt: *at(1), LikelyOptOut: true}
		if id == "plain" {
			m.Body, m.LikelyOptOut = "who is this?", false
		}
		apply(t, c, change(t, int64(10+2*i), api.KindThread, id, th), change(t, int64(11+2*i), api.KindMessage, m.ID, m))
	}
	for id, want := range map[string]bool{"asks": true, "plain": false, "stops": true} {
		if r := rowOf(t, c, id); r.OptOutUndecided != want || !r.NeedsAttention {
			t.Fatalf("%s: undecided %v, needs attention %v; want %v, true", id, r.OptOutUndecided, r.NeedsAttention, want)
		}
	}
	// "Not an opt-out" decides as surely as Opt Out does, each from the outbox.
	if err := c.Report(ctx, "asks", "rep1", map[string]string{"opt_out": "false"}, *at(2)); err != nil {
		t.Fatal(err)
	}
	if err := c.Report(ctx, "stops", "rep2", map[string]string{"opt_out": "true"}, *at(2)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"asks", "stops"} {
		if r := rowOf(t, c, id); r.OptOutUndecided {
			t.Fatalf("%s: still undecided after a report", id)
		}
	}
	// A new such reply after the report asks again.
	again := api.Message{ID: "m-asks-2", ThreadID: "asks", Direction: api.DirInbound, Body: "stop texting me", CreatedAt: *at(3), LikelyOptOut: true}
	th := serverThread("asks", api.ActionP2P)
	th.ContactPhone = "+15550100001"
	th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = at(0), at(3), *at(3)
	apply(t, c, change(t, 20, api.KindThread, "asks", th), change(t, 21, api.KindMessage, again.ID, again))
	if r := rowOf(t, c, "asks"); !r.OptOutUndecided {
		t.Fatal("a likely opt-out after the report: row not undecided")
	}
}

// TestUpgradeMarksUndecidedOptOuts: a cache from before 0016 holding a
// conversation with an undecided likely opt-out, one decided by a later
// report, and one of an opted-out contact shows the first only as
// undecided once upgraded, before any sync.
func TestUpgradeMarksUndecidedOptOuts(t *testing.T) {
	dir, db := cacheBefore(t, 15)
	for i, id := range []string{"undecided", "decided", "opted"} {
		th := api.Thread{ID: id, ActionID: "a1", CampaignID: "c1", ActionType: "p2p", OwnerID: "admin", ContactName: id,
			ContactPhone: "+1212555010" + string(rune('0'+i)), LastMessageAt: t0}
		data, err := json.Marshal(th)
		if err != nil {
			t.Fatal(err)
		}
		var report any // the decided thread's report is newer than the reply
		if id == "decided" {
			report = t0.UnixNano() + 5
		}
		if _, err := db.Exec(`INSERT INTO threads(id, action_id, campaign_id, action_type, contact_name, contact_phone, data, from_server,
				last_message_at, last_report_at, archived, opted_out, blocked, unread, needs_attention) VALUES (?, 'a1', 'c1', 'p2p', ?, ?, ?, 1, ?, ?, 0, ?, 0, 0, 1)`,
			id, id, th.ContactPhone, string(data), t0.UnixNano(), report, boolNum(id == "opted")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO messages(id, thread_id, direction, body, status, initial, created_at, likely_opt_out)
				VALUES (?, ?, 'in', 'please remove me', 'received', 0, ?, 1)`, "m-"+id, id, t0.UnixNano()+1); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	c, err := cache.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rows, err := c.Threads(context.Background(), cache.ThreadQuery{Filter: inbox.All})
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows after the upgrade: %+v, %v", rows, err)
	}
	for _, r := range rows {
		if want := r.ID == "undecided"; r.OptOutUndecided != want {
			t.Fatalf("%s: undecided %v after the upgrade, want %v", r.ID, r.OptOutUndecided, want)
		}
	}
}

func boolNum(b bool) int {
	if b {
		return 1
	}
	return 0
}
