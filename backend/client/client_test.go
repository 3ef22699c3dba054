package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
)

func TestNewBadConfig(t *testing.T) {
	cases := map[string]client.Config{
		"no data dir":    {ServerURL: "http://127.0.0.1:1"},
		"no server":      {DataDir: t.TempDir()},
		"not a http url": {DataDir: t.TempDir(), ServerURL: "127.0.0.1:8787"},
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := client.New(cfg); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestVolunteerFlow(t *testing.T) {
	inst := startDemo(t, simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}})
	ctx := context.Background()
	dir := t.TempDir()
	c, ev := newClient(t, inst.URL, dir)
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	camp, err := c.JoinCampaign(ctx, " "+demo.JoinCode+" ")
	if err != nil {
		t.Fatal(err)
	}
	actions, err := c.Actions(ctx, camp.ID)
	if err != nil || len(actions) != 1+len(demo.LabelledActionTitles) || !slices.ContainsFunc(actions, func(a api.Action) bool { return a.ID == inst.Info.ActionID }) {
		t.Fatalf("actions after join %+v %v", actions, err)
	}
	found, err := c.SearchCampaigns(ctx, "Democracy")
	if err != nil || len(found) == 0 {
		t.Fatalf("search %+v %v", found, err)
	}

	q, err := c.Queue(ctx, inst.Info.ActionID)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Items) == 0 {
		b, err := c.TextAgain(ctx, inst.Info.ActionID)
		if err != nil || b.Assigned == 0 {
			t.Fatalf("text again: %+v %v", b, err)
		}
		if q, err = c.Queue(ctx, inst.Info.ActionID); err != nil {
			t.Fatal(err)
		}
	}
	if len(q.Items) == 0 || q.Remaining < 0 {
		t.Fatalf("queue %+v", q)
	}
	for _, it := range q.Items {
		if it.Error != "" || it.Body == "" || strings.Contains(it.Body, "{") || it.Segments < 1 || !strings.Contains(it.Body, "Dana") {
			t.Fatalf("queue item %+v", it)
		}
	}

	var slowest, total time.Duration
	for _, it := range q.Items {
		start := time.Now()
		if err := c.SendInitial(ctx, inst.Info.ActionID, it.ContactID); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		slowest, total = max(slowest, took), total+took
	}
	t.Logf("SendInitial (local only, sync running alongside): mean %s, slowest %s", total/time.Duration(len(q.Items)), slowest)
	if err := c.SendInitial(ctx, inst.Info.ActionID, q.Items[0].ContactID); err == nil {
		t.Fatal("sent twice to the same contact")
	}
	if q2, _ := c.Queue(ctx, inst.Info.ActionID); len(q2.Items) != 0 {
		t.Fatalf("queue after sending everyone: %d left", len(q2.Items))
	}

	eventually(t, "outbox drained", 10*time.Second, func() bool { return c.Status(ctx).Pending == 0 })
	// The action names the number the volunteer texts from, as people write it.
	actions, err = c.Actions(ctx, inst.Info.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(actions, func(a api.Action) bool { return a.ID == inst.Info.ActionID }); i < 0 || actions[i].SendingNumber == "" ||
		actions[i].SendingNumberDisplay != phone.Display(actions[i].SendingNumber) || !strings.HasPrefix(actions[i].SendingNumberDisplay, "(") {
		t.Errorf("the action's sending number: %+v", actions)
	}
	// The demo texts at any hour, which the app says in those words.
	if i := slices.IndexFunc(actions, func(a api.Action) bool { return a.ID == inst.Info.ActionID }); !actions[i].TextingAnyTime {
		t.Errorf("the demo action's texting hours %+v: not any time", actions[i].TextingHours)
	}
	// The contacts answer (the test plays them, so every one replies).
	for i, it := range q.Items {
		view, err := c.Thread(ctx, it.ContactID)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the server's thread", 5*time.Second, func() bool {
			view, err = c.Thread(ctx, it.ContactID)
			return err == nil && view.Thread.SendingNumber != ""
		})
		err = inst.Server.Receive(ctx, sms.Inbound{ProviderID: fmt.Sprintf("SMtest%d", i), From: it.Phone,
			To: view.Thread.SendingNumber, Body: "Who is this?", ReceivedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "replies", 15*time.Second, func() bool { return len(ev.named(client.EventReplyNew)) == len(q.Items) })
	notice := ev.named(client.EventReplyNew)[0].Payload.(client.ReplyNotice)
	if notice.ThreadID == "" || notice.ContactName == "" || notice.Body != "Who is this?" || notice.CampaignID != camp.ID {
		t.Fatalf("reply notice %+v", notice)
	}
	st := c.Status(ctx)
	if !st.Online || !st.SignedIn || st.LastError != "" {
		t.Fatalf("status %+v", st)
	}

	counts, err := c.Counts(ctx, camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	unread, err := c.Threads(ctx, client.FilterUnread, camp.ID, "", 0, 50)
	if err != nil || len(unread) == 0 || len(unread) != counts[client.FilterUnread] {
		t.Fatalf("unread %d (count %d): %v", len(unread), counts[client.FilterUnread], err)
	}
	if counts[client.FilterAll] != len(q.Items)+demo.SeededThreads() {
		t.Fatalf("all = %d, sent %d besides the demo's %d", counts[client.FilterAll], len(q.Items), demo.SeededThreads())
	}
	// Pick a thread of the texts just sent that can still be answered.
	var target client.ThreadSummary
	for _, th := range unread {
		if !th.OptedOut && th.ActionID == inst.Info.ActionID {
			target = th
			break
		}
	}
	if target.ID == "" {
		t.Skip("every simulated contact opted out with this seed")
	}
	if target.ActionTitle != demo.ActionTitle || target.ActionType != api.ActionP2P || !target.Unread {
		t.Fatalf("thread row %+v", target)
	}
	byName, err := c.Threads(ctx, client.FilterAll, camp.ID, strings.ToUpper(target.ContactName), 0, 50)
	if err != nil || len(byName) == 0 || byName[0].ID != target.ID {
		t.Fatalf("search by name %+v %v", byName, err)
	}

	view, err := c.Thread(ctx, target.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(view.Messages) < 2 || len(view.ResponseScripts) == 0 || view.ActionTitle != demo.ActionTitle {
		t.Fatalf("thread view %+v", view)
	}
	for _, rs := range view.ResponseScripts {
		if strings.Contains(rs.Body, "{") {
			t.Fatalf("response script not rendered: %q", rs.Body)
		}
	}
	if err := c.MarkRead(ctx, target.ID); err != nil {
		t.Fatal(err)
	}
	after, _ := c.Counts(ctx, camp.ID)
	if after[client.FilterUnread] != counts[client.FilterUnread]-1 {
		t.Fatalf("unread %d -> %d after MarkRead", counts[client.FilterUnread], after[client.FilterUnread])
	}

	if err := c.SendReply(ctx, target.ID, "   ", ""); err == nil {
		t.Fatal("empty reply accepted")
	}
	if err := c.SendReply(ctx, target.ID, "x", "no-such-script"); err == nil {
		t.Fatal("unknown response script accepted")
	}
	rs := view.ResponseScripts[0]
	if err := c.SendReply(ctx, target.ID, rs.Body, rs.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "reply accepted", 10*time.Second, func() bool {
		v, err := c.Thread(ctx, target.ID)
		if err != nil {
			return false
		}
		for _, m := range v.Messages {
			if m.Body == rs.Body && !m.Pending && m.Error == "" && m.Direction == api.DirOutbound {
				return true
			}
		}
		return false
	})
	if out, _ := c.Outbox(ctx); len(out) != 0 {
		t.Fatalf("outbox %+v", out)
	}

	if err := c.Archive(ctx, target.ID, true); err != nil {
		t.Fatal(err)
	}
	if arch, _ := c.Threads(ctx, client.FilterArchive, camp.ID, "", 0, 50); len(arch) != 1+demo.SeededArchived() || arch[0].ID != target.ID {
		t.Fatalf("archive %+v", arch)
	}

	// A restart restores the session from the cache.
	c.Close()
	c2, _ := newClient(t, inst.URL, dir)
	if st := c2.Status(ctx); !st.SignedIn || st.User.Email != demo.VolunteerEmail {
		t.Fatalf("status after restart %+v", st)
	}
	if cs, _ := c2.Campaigns(ctx); len(cs) != 1 {
		t.Fatalf("campaigns after restart %+v", cs)
	}

	if err := c2.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	if st := c2.Status(ctx); st.SignedIn {
		t.Fatal("still signed in")
	}
	if cs, _ := c2.Campaigns(ctx); len(cs) != 0 {
		t.Fatalf("campaigns survive sign-out: %+v", cs)
	}
}

// TestOfflineScriptOnlyAction starts from a cache synced earlier, with the
// server gone: the inbox reads, replies queue, and an action without free
// text takes only its response scripts.
func TestOfflineScriptOnlyAction(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	url := "http://127.0.0.1:1" // nothing listens there
	pre, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	change := func(v int64, kind, id string, data any) api.Change {
		raw, _ := json.Marshal(data)
		return api.Change{Version: v, Kind: kind, ID: id, Data: raw}
	}
	in := time.Now().Add(-time.Minute)
	_, err = pre.ApplyPage(ctx, api.SyncResponse{Cursor: 4, Changes: []api.Change{
		change(1, api.KindCampaign, "c1", api.Campaign{ID: "c1", Name: "Vote"}),
		change(2, api.KindAction, "a1", api.Action{ID: "a1", CampaignID: "c1", Type: api.ActionFriends, Title: "Friends",
			ResponseScripts: []api.ResponseScript{{ID: "r1", Label: "Thanks", Body: "Thanks {first_name|friend}, from {volunteer_first_name}!"}}}),
		change(3, api.KindThread, "k1", api.Thread{ID: "k1", ActionID: "a1", CampaignID: "c1", ActionType: api.ActionFriends,
			ContactName: "Ada Lovelace", ContactPhone: "+15550100001", LastMessageAt: in, LastInboundAt: &in}),
		change(4, api.KindMessage, "m1", api.Message{ID: "m1", ThreadID: "k1", Direction: api.DirInbound, Body: "Hello?", CreatedAt: in}),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := pre.SaveSession(ctx, cache.Session{Token: "t", User: api.User{ID: "u1", Name: "Vi Volunteer"}, ServerURL: url}); err != nil {
		t.Fatal(err)
	}
	pre.Close()

	c, ev := newClient(t, url, dir)
	if st := c.Status(ctx); !st.SignedIn {
		t.Fatalf("session not restored: %+v", st)
	}
	counts, err := c.Counts(ctx, "c1")
	if err != nil || counts[client.FilterFriends] != 1 || counts[client.FilterUnread] != 1 || counts[client.FilterTeam] != 0 {
		t.Fatalf("counts %v %v", counts, err)
	}
	view, err := c.Thread(ctx, "k1")
	if err != nil || len(view.ResponseScripts) != 1 || view.ResponseScripts[0].Body != "Thanks Ada, from Vi!" || view.AllowFreeText {
		t.Fatalf("view %+v %v", view, err)
	}
	if err := c.SendReply(ctx, "k1", "my own words", ""); err == nil || !strings.Contains(err.Error(), "does not allow typed replies") {
		t.Fatalf("free text accepted: %v", err)
	}
	if err := c.SendReply(ctx, "k1", "Thanks Ada, from Vi! edited", "r1"); err == nil {
		t.Fatal("an edited script accepted")
	}
	if err := c.SendReply(ctx, "k1", "Thanks Ada, from Vi!", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.MarkRead(ctx, "k1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "offline status", 5*time.Second, func() bool {
		st := c.Status(ctx)
		return !st.Online && strings.Contains(st.LastError, "cannot reach the campaign server") && st.Pending == 1
	})
	if st := c.Status(ctx); st.Connection != client.ConnectionOffline || !strings.Contains(st.Problem, "Your changes are kept") ||
		strings.Contains(st.Problem, "dial") {
		t.Fatalf("offline status in a volunteer's words: %+v", st)
	}
	// Marking read is housekeeping: neither counted as pending nor listed.
	out, err := c.Outbox(ctx)
	if err != nil || len(out) != 1 || out[0].Summary != "Reply to Ada Lovelace" || out[0].Rejected {
		t.Fatalf("outbox %+v %v", out, err)
	}
	eventually(t, "a delivery attempt", 5*time.Second, func() bool {
		out, _ := c.Outbox(ctx)
		return out[0].Attempts > 0
	})
	view, _ = c.Thread(ctx, "k1")
	if last := view.Messages[len(view.Messages)-1]; !last.Pending || last.Body != "Thanks Ada, from Vi!" {
		t.Fatalf("queued reply %+v", last)
	}
	if len(ev.named(client.EventSyncStatus)) == 0 || len(ev.named(client.EventInboxChanged)) == 0 {
		t.Fatal("no events for the window")
	}
	// The window orders status events by Seq (a transport may reorder
	// them): in the order they were told, each is numbered above the last.
	var last uint64
	for i, e := range ev.named(client.EventSyncStatus) {
		st, ok := e.Payload.(client.Status)
		if !ok || st.Seq <= last {
			t.Fatalf("status event %d: %+v after seq %d, want a higher seq", i, e.Payload, last)
		}
		last = st.Seq
	}
	if last < 2 {
		t.Fatalf("the run told %d status events, want several to order", last)
	}
	// Inbox events too: each numbered once, 1 to N in all (events told
	// from two goroutines at once may be recorded in either order).
	seen := map[uint64]bool{}
	inbox := ev.named(client.EventInboxChanged)
	for i, e := range inbox {
		ch, ok := e.Payload.(client.InboxChange)
		if !ok || ch.Seq == 0 || ch.Seq > uint64(len(inbox)) || seen[ch.Seq] {
			t.Fatalf("inbox event %d: %+v, want a seq from 1 to %d not seen before", i, e.Payload, len(inbox))
		}
		seen[ch.Seq] = true
	}
	if len(inbox) < 2 {
		t.Fatalf("the run told %d inbox events, want several to order", len(inbox))
	}
}
