package cache_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

// TestUpgradeMarksUnanswered: a cache from before 0019 holding a
// conversation whose reply has no answer after it, one answered, and one
// with no reply says the first only is unanswered once upgraded, before
// any sync, by the rule it was judged by (a text that went after the
// reply). Fails without the migration's backfill.
func TestUpgradeMarksUnanswered(t *testing.T) {
	dir, db := cacheBefore(t, 18)
	reply := t0.UnixNano()
	for i, tc := range []struct {
		id      string
		in, out any
	}{
		{"unanswered", reply, reply - 10},
		{"answered", reply, reply + 10},
		{"no reply", nil, reply},
	} {
		th := api.Thread{ID: tc.id, ActionID: "a1", CampaignID: "c1", ActionType: "p2p", OwnerID: "admin", ContactName: tc.id,
			ContactPhone: "+1212555010" + string(rune('0'+i)), LastMessageAt: t0}
		data, err := json.Marshal(th)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO threads(id, action_id, campaign_id, action_type, contact_name, contact_phone, data, from_server,
				last_message_at, last_inbound_at, last_outbound_at, archived, opted_out, blocked, unread, needs_attention)
				VALUES (?, 'a1', 'c1', 'p2p', ?, ?, ?, 1, ?, ?, ?, 0, 0, 0, 0, 1)`,
			tc.id, tc.id, th.ContactPhone, string(data), t0.UnixNano(), tc.in, tc.out); err != nil {
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
		if want := r.ID == "unanswered"; r.Unanswered != want {
			t.Fatalf("%s: unanswered %v after the upgrade, want %v", r.ID, r.Unanswered, want)
		}
	}
}
