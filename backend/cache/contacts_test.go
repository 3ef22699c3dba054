package cache_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// TestThreadsWithoutContact: conversations whose contact the cache never
// saw are listed (all of them, or of those named); a contact remembered
// for one takes it off the list; a contact of no conversation here is not
// kept.
func TestThreadsWithoutContact(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c) // k1 and k2 assigned: their contacts are known
	thread := func(v int64, id string) api.Change {
		return change(t, v, api.KindThread, id, api.Thread{ID: id, ActionID: "a1", CampaignID: "c1", ActionType: api.ActionP2P, OwnerID: "u1",
			ContactName: "Someone " + id, ContactPhone: "+1555010000" + id[1:], LastMessageAt: t0})
	}
	apply(t, c, thread(10, "k1"), thread(11, "k3"), thread(12, "k4"))
	list := func(ids []string) []string {
		t.Helper()
		got, err := c.ThreadsWithoutContact(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := list(nil); !slices.Equal(got, []string{"k3", "k4"}) {
		t.Errorf("all: %v; want k3 k4", got)
	}
	if got := list([]string{"k1", "k4", "k9", "k4"}); !slices.Equal(got, []string{"k4"}) {
		t.Errorf("of k1 k4 k9: %v; want k4", got)
	}
	if got := list([]string{}); len(got) != 0 {
		t.Errorf("of none: %v", got)
	}
	err := c.RememberContacts(ctx, []api.Assignment{
		{ContactID: "k3", ActionID: "a1", FirstName: "Mary Ann", LastName: "Smith", Fields: map[string]string{"zip": "20001"}},
		{ContactID: "k9", ActionID: "a1", FirstName: "Nobody"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := list(nil); !slices.Equal(got, []string{"k4"}) {
		t.Errorf("after k3's contact: %v; want k4", got)
	}
	if a, ok, _ := c.Contact(ctx, "k3"); !ok || a.FirstName != "Mary Ann" || a.Fields["zip"] != "20001" {
		t.Errorf("k3's contact %+v %v", a, ok)
	}
	if _, ok, _ := c.Contact(ctx, "k9"); ok {
		t.Error("a contact of no conversation here was kept")
	}
}

// TestContactForgottenWithItsConversation: the cache keeps a contact's
// name, number and columns only while the volunteer holds their assignment
// or conversation. The server's delete of a conversation (reassigned away,
// blocked) or of an assignment with no conversation (handed back) lets the
// contact go; a reassign still in the outbox keeps it, and its refusal
// brings the conversation back with its contact.
func TestContactForgottenWithItsConversation(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c) // k1 and k2 assigned
	known := func(id string) bool {
		t.Helper()
		_, ok, err := c.Contact(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	th := serverThread("k1", api.ActionP2P)
	th.ID = "k1"
	apply(t, c, change(t, 10, api.KindThread, "k1", th),
		api.Change{Version: 11, Kind: api.KindAssignment, ID: "k1", Deleted: true})
	if !known("k1") {
		t.Fatal("k1's contact went with their assignment while their conversation is here")
	}
	apply(t, c, api.Change{Version: 12, Kind: api.KindAssignment, ID: "k2", Deleted: true})
	if known("k2") {
		t.Error("k2 was handed back and has no conversation here: their contact was kept")
	}

	// Reassigned here, refused by the server: the conversation and its contact are back.
	m := api.Mutation{ID: "m-reassign", Type: api.MutReassign, ThreadID: "k1", ToUserID: "admin"}
	if _, err := c.HideThreads(ctx, m, []string{"k1"}, t0); err != nil {
		t.Fatal(err)
	}
	if !known("k1") {
		t.Fatal("the contact went with the local hide: a refusal could not bring it back")
	}
	if err := c.MarkRejected(ctx, "m-reassign", "forbidden", "no"); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Contact(ctx, "k1"); err != nil || !ok {
		t.Fatalf("after the refusal: contact %v %v", ok, err)
	}

	// The server takes the conversation away: the contact goes with it.
	apply(t, c, api.Change{Version: 13, Kind: api.KindThread, ID: "k1", Deleted: true})
	if known("k1") {
		t.Error("the conversation left the volunteer and their contact was kept")
	}
	// ...and is asked for again if it comes back.
	apply(t, c, change(t, 14, api.KindThread, "k1", th))
	if got, err := c.ThreadsWithoutContact(ctx, nil); err != nil || !slices.Equal(got, []string{"k1"}) {
		t.Errorf("threads without contact after it came back: %v %v", got, err)
	}
}

// TestUpgradeForgetsContactsOfNoUse: a cache from before 0015 kept every
// contact it ever saw. Upgraded, it keeps those of a conversation or an
// assignment here, and those a change in the outbox names (a reassign's
// undo, a send); the others go.
func TestUpgradeForgetsContactsOfNoUse(t *testing.T) {
	after := upgradedCache(t, 14,
		`INSERT INTO contacts(id, data) VALUES ('talking', '{}'), ('queued', '{}'), ('handed', '{}'), ('hidden', '{}'), ('sending', '{}'), ('gone', '{}')`,
		`INSERT INTO threads(id, action_id, campaign_id, action_type, contact_name, contact_phone, data, from_server, last_message_at,
			archived, opted_out, blocked, unread, needs_attention) VALUES ('talking', 'a1', 'c1', 'p2p', 'T', '+15550100001', '{}', 1, 0, 0, 0, 0, 0, 0)`,
		`INSERT INTO assignments(contact_id, action_id, assigned_at, data) VALUES ('queued', 'a1', 0, '{}')`,
		`INSERT INTO outbox(id, type, payload, thread_id, undo, created_at) VALUES ('m1', 'reassign', '{}', '', '{"threads":[{"id":"hidden"}]}', 0)`,
		`INSERT INTO outbox(id, type, payload, thread_id, undo, created_at) VALUES ('m2', 'send_initial', '{}', 'sending', '', 0)`,
	)
	var kept []string
	rows, err := after.Query(`SELECT id FROM contacts ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, id)
	}
	if want := []string{"hidden", "queued", "sending", "talking"}; !slices.Equal(kept, want) {
		t.Errorf("contacts after the upgrade: %v, want %v (handed and gone forgotten)", kept, want)
	}
}

// TestContactForgottenWithARefusedFirstText: the server took a contact back
// (contacts release) while the first text to them waited in the outbox,
// then refused it: with neither their assignment nor a conversation left,
// the contact goes too; the outbox row keeps the name it shows.
func TestContactForgottenWithARefusedFirstText(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	if err := c.SendInitial(ctx, "a1", "k1", "msg-1", "Hi Ada", t0); err != nil {
		t.Fatal(err)
	}
	apply(t, c, api.Change{Version: 10, Kind: api.KindAssignment, ID: "k1", Deleted: true})
	if _, ok, _ := c.Contact(ctx, "k1"); !ok {
		t.Fatal("the contact went while their first text waited")
	}
	pending, _ := c.PendingMutations(ctx, 50)
	for _, m := range pending {
		if m.Type == api.MutSendInitial {
			if err := c.MarkRejected(ctx, m.ID, api.RejectNotAssigned, "not yours"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, ok, err := c.Contact(ctx, "k1"); err != nil || ok {
		t.Errorf("k1 has neither assignment nor conversation, but their contact is kept: %v %v", ok, err)
	}
	rows, err := c.Outbox(ctx)
	if err != nil || len(rows) != 1 || rows[0].ContactName == "" {
		t.Fatalf("the refused text's row names nobody: %+v %v", rows, err)
	}
}

// TestAssignmentAgainReplacesItsFields: the server feeds a queued contact
// again when its action stops showing a column (server RefeedContacts);
// the cache keeps the contact as it comes now, so the dropped column
// leaves both the queue and the contact's details, not merged back in.
func TestAssignmentAgainReplacesItsFields(t *testing.T) {
	c := open(t)
	seed(t, c)
	ada := api.Assignment{ContactID: "k1", ActionID: "a1", FirstName: "Ada", LastName: "Lovelace", Phone: "+15550100001", AssignedAt: t0,
		Fields: map[string]string{"dob": "1815-12-10", "party": "Green"}}
	apply(t, c, change(t, 5, api.KindAssignment, "k1", ada))
	ada.Fields = map[string]string{"party": "Green"}
	apply(t, c, change(t, 6, api.KindAssignment, "k1", ada))
	ctx := context.Background()
	queue, err := c.Assignments(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 2 || queue[0].ContactID != "k1" || !maps.Equal(queue[0].Fields, ada.Fields) {
		t.Errorf("queue %+v, want k1 first with fields %v alone", queue, ada.Fields)
	}
	got, ok, err := c.Contact(ctx, "k1")
	if err != nil || !ok {
		t.Fatalf("contact k1: %v %v", ok, err)
	}
	if !maps.Equal(got.Fields, ada.Fields) {
		t.Errorf("contact k1's fields %v, want %v alone", got.Fields, ada.Fields)
	}
}

// TestContactChangeReplacesAConversationsContact: a contact change (the
// server's copy after its action stopped showing a column) replaces the
// contact of a conversation here; one of no conversation here is not
// kept, a deleted one changes nothing, and one naming another contact
// than its id is refused.
func TestContactChangeReplacesAConversationsContact(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	th := serverThread("k1", api.ActionP2P)
	th.ID = "k1"
	ada := api.Assignment{ContactID: "k1", ActionID: "a1", FirstName: "Ada", Phone: "+15550100001", AssignedAt: t0,
		Fields: map[string]string{"dob": "1815-12-10", "party": "Green"}}
	apply(t, c, change(t, 10, api.KindAssignment, "k1", ada), change(t, 11, api.KindThread, "k1", th),
		api.Change{Version: 12, Kind: api.KindAssignment, ID: "k1", Deleted: true})
	fields := func(id string) map[string]string {
		t.Helper()
		got, ok, err := c.Contact(ctx, id)
		if err != nil || !ok {
			t.Fatalf("contact %s: %v %v", id, ok, err)
		}
		return got.Fields
	}
	if got := fields("k1"); got["dob"] == "" {
		t.Fatalf("k1's fields %v before the change, want dob among them", got)
	}
	ada.Fields = map[string]string{"party": "Green"}
	apply(t, c, change(t, 13, api.KindContact, "k1", ada), api.Change{Version: 14, Kind: api.KindContact, ID: "k1", Deleted: true})
	if got := fields("k1"); !maps.Equal(got, ada.Fields) {
		t.Errorf("k1's fields %v after the contact change, want %v alone", got, ada.Fields)
	}
	stranger := api.Assignment{ContactID: "k9", ActionID: "a1", FirstName: "Zed", Fields: map[string]string{"party": "Blue"}}
	apply(t, c, change(t, 15, api.KindContact, "k9", stranger))
	if _, ok, err := c.Contact(ctx, "k9"); err != nil || ok {
		t.Errorf("a contact of no conversation here: kept %v %v", ok, err)
	}
	_, err := c.ApplyPage(ctx, api.SyncResponse{Changes: []api.Change{change(t, 16, api.KindContact, "k1", stranger)}, Cursor: 16})
	if err == nil || !strings.Contains(err.Error(), `contact change k1 carries contact "k9"`) {
		t.Errorf("a contact change naming another contact: %v, want it refused naming both", err)
	}
	if got := fields("k1"); !maps.Equal(got, ada.Fields) {
		t.Errorf("k1's fields %v after the refused change, want %v", got, ada.Fields)
	}
}
