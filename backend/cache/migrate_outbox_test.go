package cache_test

import (
	"testing"
)

// TestUpgradeKeepsOutboxContactsAndForgetsRefusedReads: migration 0011
// gives each change waiting in the outbox the name and number of the
// conversation it is for (a refusal can outlive the conversation), and
// deletes the refused reads nothing could ever dismiss, and only those.
func TestUpgradeKeepsOutboxContactsAndForgetsRefusedReads(t *testing.T) {
	db := upgradedCache(t, 10,
		`INSERT INTO threads(id, action_id, campaign_id, action_type, contact_name, contact_phone, data, from_server,
			last_message_at, archived, opted_out, blocked, unread, needs_attention)
			VALUES ('t1', 'a1', 'c1', 'p2p', 'Ada', '+12125550100', '{}', 1, 0, 0, 0, 0, 0, 0)`,
		`INSERT INTO outbox(id, type, payload, thread_id, created_at, rejected) VALUES
			('reply', 'reply', '{}', 't1', 1, 0),
			('read-refused', 'read', '{}', 't1', 2, 1),
			('read', 'read', '{}', 't1', 3, 0),
			('report-refused', 'report', '{}', 't1', 4, 1),
			('gone', 'reply', '{}', 't9', 5, 1),
			('settings', 'settings', '{}', '', 6, 0)`,
	)
	rows, err := db.Query(`SELECT id, contact_name, contact_phone FROM outbox ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var id, name, phone string
		if err := rows.Scan(&id, &name, &phone); err != nil {
			t.Fatal(err)
		}
		got[id] = name + " " + phone
	}
	want := map[string]string{"reply": "Ada +12125550100", "read": "Ada +12125550100", "report-refused": "Ada +12125550100",
		"gone": " ", "settings": " "}
	if len(got) != len(want) {
		t.Fatalf("outbox after the upgrade: %v; want %v (the refused read gone, nothing else)", got, want)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %q, want %q", id, got[id], w)
		}
	}
}
