package client_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// quiet: simulated contacts never answer, the tests play them.
var quiet = simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}}

// joined is a signed-in client of the demo volunteer with the first sync
// done, and the demo campaign's id.
func joined(t *testing.T, inst *demo.Instance, dir string) (*client.Client, *events) {
	t.Helper()
	c, ev := newClient(t, inst.URL, dir)
	signInAndJoin(t, c)
	ctx := context.Background()
	eventually(t, "the demo's conversations", 10*time.Second, func() bool {
		n, err := c.Counts(ctx, inst.Info.CampaignID)
		return err == nil && n[client.FilterAll]+n[client.FilterArchive] >= demo.SeededThreads()+demo.SeededArchived()
	})
	return c, ev
}

func threadsUnder(t *testing.T, c *client.Client, campaignID, filter, query string) []client.ThreadSummary {
	t.Helper()
	rows, err := c.Threads(context.Background(), filter, campaignID, query, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func hasThread(rows []client.ThreadSummary, id string) bool {
	return slices.ContainsFunc(rows, func(r client.ThreadSummary) bool { return r.ID == id })
}

func rowOf(t *testing.T, c *client.Client, campaignID, filter, id string) (client.ThreadSummary, bool) {
	t.Helper()
	for _, r := range threadsUnder(t, c, campaignID, filter, "") {
		if r.ID == id {
			return r, true
		}
	}
	return client.ThreadSummary{}, false
}

// reply plays the contact of thread id answering.
func reply(t *testing.T, inst *demo.Instance, c *client.Client, id, body string) {
	t.Helper()
	ctx := context.Background()
	v, err := c.Thread(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := inst.Server.Receive(ctx, sms.Inbound{ProviderID: "SM" + fmt.Sprint(time.Now().UnixNano()), From: v.Thread.ContactPhone,
		To: v.Thread.SendingNumber, Body: body, ReceivedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

func drained(t *testing.T, c *client.Client) {
	t.Helper()
	eventually(t, "outbox drained", 15*time.Second, func() bool { return c.Status(context.Background()).Pending == 0 })
}

// The demo fills every label filter before the volunteer texts anyone.
func TestDemoInboxFillsEveryFilter(t *testing.T) {
	inst := startDemo(t, quiet)
	c, _ := joined(t, inst, t.TempDir())
	camp := inst.Info.CampaignID
	counts, err := c.Counts(context.Background(), camp)
	if err != nil {
		t.Fatal(err)
	}
	for f, typ := range map[string]string{client.FilterFriends: api.ActionFriends, client.FilterTeam: api.ActionTeam, client.FilterCanvassing: api.ActionCanvassing} {
		rows := threadsUnder(t, c, camp, f, "")
		if len(rows) < 2 || counts[f] != len(rows) {
			t.Fatalf("%s: %d rows, count %d", f, len(rows), counts[f])
		}
		for _, r := range rows {
			if r.ActionType != typ || r.ActionTitle != demo.LabelledActionTitles[typ] || !r.Unread || !r.NeedsAttention ||
				r.LastMessage == "" || r.ContactName == "" || r.ActionID == "" || r.Archived || r.ArchivedReason != "" {
				t.Fatalf("%s row %+v", f, r)
			}
		}
	}
	if counts[client.FilterAll] != demo.SeededThreads() || counts[client.FilterUnread] != demo.SeededUnread() ||
		counts[client.FilterNeedsAttention] != demo.SeededUnread() {
		t.Fatalf("counts %v", counts)
	}
	// The Broadcast has no filter of its own: its conversations, texted
	// this morning and not answered, are under All with its label, read.
	var broadcast []client.ThreadSummary
	for _, r := range threadsUnder(t, c, camp, client.FilterAll, "") {
		if r.ActionType == api.ActionBroadcast {
			broadcast = append(broadcast, r)
		}
	}
	if len(broadcast) == 0 || len(broadcast) != demo.SeededThreads()-demo.SeededUnread() {
		t.Fatalf("%d Broadcast rows under All, want %d", len(broadcast), demo.SeededThreads()-demo.SeededUnread())
	}
	for _, r := range broadcast {
		if r.ActionTitle != demo.LabelledActionTitles[api.ActionBroadcast] || r.Unread || r.NeedsAttention ||
			!strings.HasPrefix(r.LastMessage, "Hi ") || !slices.Equal(r.Filters, []string{client.FilterAll}) {
			t.Fatalf("Broadcast row %+v", r)
		}
	}
	// The Archive holds a conversation that went quiet two months ago,
	// archived for it and read (SPEC 10's old threads, seen at once).
	arch := threadsUnder(t, c, camp, client.FilterArchive, "")
	if demo.SeededArchived() == 0 || counts[client.FilterArchive] != demo.SeededArchived() || len(arch) != demo.SeededArchived() {
		t.Fatalf("archive count %d, rows %+v, want %d", counts[client.FilterArchive], arch, demo.SeededArchived())
	}
	for _, r := range arch {
		if r.ArchivedReason != client.ArchivedInactive || r.Unread || !slices.Equal(r.Filters, []string{client.FilterArchive}) || r.ActionType == api.ActionP2P {
			t.Fatalf("archived row %+v", r)
		}
	}
	// Search by the middle of a name, within a filter.
	if rows := threadsUnder(t, c, camp, client.FilterFriends, "ustin"); len(rows) != 1 || rows[0].ContactName != "Bayard Rustin" {
		t.Fatalf("search %+v", rows)
	}
	if rows := threadsUnder(t, c, camp, client.FilterTeam, "ustin"); len(rows) != 0 {
		t.Fatalf("search outside the filter %+v", rows)
	}
	// A seeded thread can be answered.
	id := threadsUnder(t, c, camp, client.FilterTeam, "")[0].ID
	if err := c.SendReply(context.Background(), id, "Great, see you then!", ""); err != nil {
		t.Fatal(err)
	}
	drained(t, c)
	if out, _ := c.Outbox(context.Background()); len(out) != 0 {
		t.Fatalf("refused: %+v", out)
	}
}

// Archive and unarchive as often as wanted, with reasons; a new reply brings
// the thread back; Automatic Archive archives on report and follows the
// volunteer to a second desktop.
func TestArchiveRulesAndAutomaticArchive(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	c, ev := joined(t, inst, t.TempDir())
	camp := inst.Info.CampaignID
	rows := threadsUnder(t, c, camp, client.FilterCanvassing, "")
	id, other := rows[0].ID, rows[1].ID

	for i := range 3 {
		if err := c.Archive(ctx, id, true); err != nil {
			t.Fatal(err)
		}
		r, ok := rowOf(t, c, camp, client.FilterArchive, id)
		if !ok || r.ArchivedReason != client.ArchivedByUser || hasThread(threadsUnder(t, c, camp, client.FilterAll, ""), id) {
			t.Fatalf("round %d: archived row %+v %v", i, r, ok)
		}
		if v, _ := c.Thread(ctx, id); !v.Archived || v.ArchivedReason != client.ArchivedByUser {
			t.Fatalf("round %d: view archived=%v reason=%q", i, v.Archived, v.ArchivedReason)
		}
		last := ev.named(client.EventInboxChanged)
		if ch := last[len(last)-1].Payload.(client.InboxChange); !slices.Contains(ch.ThreadIDs, id) || ch.All {
			t.Fatalf("inbox:changed %+v does not name the thread", ch)
		}
		// The event brings the row with the filters it is now listed
		// under, so the window moves it without asking.
		if got := eventRow(t, ev, id).Filters; !slices.Equal(got, []string{client.FilterArchive}) {
			t.Fatalf("round %d: archived row listed under %v", i, got)
		}
		drained(t, c)
		if r, _ := rowOf(t, c, camp, client.FilterArchive, id); r.ArchivedReason != client.ArchivedByUser {
			t.Fatalf("round %d: after the server: %+v", i, r)
		}
		if err := c.Archive(ctx, id, false); err != nil {
			t.Fatal(err)
		}
		if !hasThread(threadsUnder(t, c, camp, client.FilterAll, ""), id) {
			t.Fatalf("round %d: unarchived thread not in All", i)
		}
		if got := eventRow(t, ev, id).Filters; !slices.Contains(got, client.FilterAll) || !slices.Contains(got, client.FilterCanvassing) ||
			slices.Contains(got, client.FilterArchive) || slices.Contains(got, client.FilterFriends) {
			t.Fatalf("round %d: unarchived row listed under %v", i, got)
		}
	}
	if err := c.Archive(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	if err := c.MarkRead(ctx, id); err != nil {
		t.Fatal(err)
	}
	drained(t, c)
	reply(t, inst, c, id, "One more question!")
	eventually(t, "the reply brings the thread back", 10*time.Second, func() bool {
		for _, f := range []string{client.FilterAll, client.FilterUnread, client.FilterNeedsAttention, client.FilterCanvassing} {
			if !hasThread(threadsUnder(t, c, camp, f, ""), id) {
				return false
			}
		}
		return !hasThread(threadsUnder(t, c, camp, client.FilterArchive, ""), id)
	})

	// Automatic Archive, on one desktop...
	if s, err := c.Settings(ctx); err != nil || s.AutoArchive {
		t.Fatalf("settings %+v %v", s, err)
	}
	if err := c.SetAutoArchive(ctx, true); err != nil {
		t.Fatal(err)
	}
	if s, _ := c.Settings(ctx); !s.AutoArchive {
		t.Fatal("the setting did not show at once")
	}
	// The change may already be on the server (the push leaves at once).
	if out, _ := c.Outbox(ctx); len(out) > 1 || len(out) == 1 && out[0].Summary != "Turn on automatic archive" {
		t.Fatalf("outbox %+v", out)
	}
	if err := c.SubmitReport(ctx, other, map[string]string{"will_vote": "true", "notes": "asked about ID"}); err != nil {
		t.Fatal(err)
	}
	// At once, even when the settings change has already reached the
	// server (sync.TestPagePredatingAPushIsAskedForAgain).
	if r, ok := rowOf(t, c, camp, client.FilterArchive, other); !ok || r.ArchivedReason != client.ArchivedByReport {
		t.Fatalf("reported thread under Archive: %+v %v", r, ok)
	}
	drained(t, c)
	if r, _ := rowOf(t, c, camp, client.FilterArchive, other); r.ArchivedReason != client.ArchivedByReport {
		t.Fatalf("after the server: %+v", r)
	}
	// ...follows the volunteer to another.
	c2, _ := joined(t, inst, t.TempDir())
	eventually(t, "the setting on the second desktop", 10*time.Second, func() bool {
		s, err := c2.Settings(ctx)
		return err == nil && s.AutoArchive
	})
	if r, ok := rowOf(t, c2, camp, client.FilterArchive, other); !ok || r.ArchivedReason != client.ArchivedByReport {
		t.Fatalf("second desktop: %+v %v", r, ok)
	}
	// A report the action cannot hold is refused at once, naming the field
	// in words (never its key: a field the cache never knew by its key's
	// words), and nothing is queued (the server's refusal rolling a report
	// back is cache.TestPendingArchiveRules).
	drained(t, c)
	err := c.SubmitReport(ctx, id, map[string]string{"no_such_field": "x"})
	if err == nil || !strings.Contains(err.Error(), `no field "No such field"`) {
		t.Fatalf("bad report: %v", err)
	}
	if out, _ := c.Outbox(ctx); len(out) != 0 {
		t.Fatalf("a refused report was queued: %+v", out)
	}
	if !hasThread(threadsUnder(t, c, camp, client.FilterAll, ""), id) {
		t.Fatal("a refused report archived its thread")
	}
}

// A reply to the thread on screen is shown read at once, without a
// notification; a reply elsewhere notifies.
func TestReplyToTheOpenThreadIsReadAtOnce(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	c, ev := joined(t, inst, t.TempDir())
	camp := inst.Info.CampaignID
	rows := threadsUnder(t, c, camp, client.FilterFriends, "")
	open, elsewhere := rows[0].ID, rows[1].ID
	c.SetOpenThread(open)
	if err := c.MarkRead(ctx, open); err != nil {
		t.Fatal(err)
	}
	drained(t, c)
	seen := len(ev.named(client.EventInboxChanged))
	reply(t, inst, c, open, "Are you still there?")
	// The window hears of the reply with its thread's row, read: the read is
	// written in the transaction that brings the reply, so no query (and no
	// event's row) can see the open thread unread.
	var row client.ThreadSummary
	var change client.InboxChange
	eventually(t, "the reply in the open thread", 10*time.Second, func() bool {
		for _, e := range ev.named(client.EventInboxChanged)[seen:] {
			ch := e.Payload.(client.InboxChange)
			for _, r := range ch.Threads {
				if r.ID == open && r.LastMessage == "Are you still there?" {
					row, change = r, ch
					return true
				}
			}
		}
		return false
	})
	if row.Unread || row.CampaignID != camp || change.All || !slices.Contains(change.ThreadIDs, open) ||
		!slices.Contains(row.Filters, client.FilterFriends) || slices.Contains(row.Filters, client.FilterUnread) {
		t.Fatalf("the event brought the open thread's reply as %+v (change %+v)", row, change)
	}
	if r, _ := rowOf(t, c, camp, client.FilterAll, open); r.Unread {
		t.Fatalf("the open thread shows unread: %+v", r)
	}
	for _, e := range ev.named(client.EventReplyNew) {
		t.Fatalf("notified for the open thread: %+v", e.Payload)
	}
	drained(t, c)
	c2, _ := joined(t, inst, t.TempDir()) // the server has it read too
	if r, _ := rowOf(t, c2, camp, client.FilterAll, open); r.Unread {
		t.Fatalf("the server has the open thread unread: %+v", r)
	}

	c.SetOpenThread("")
	reply(t, inst, c, elsewhere, "Hello?")
	eventually(t, "a notice", 10*time.Second, func() bool { return len(ev.named(client.EventReplyNew)) == 1 })
	if n := ev.named(client.EventReplyNew)[0].Payload.(client.ReplyNotice); n.ThreadID != elsewhere {
		t.Fatalf("notice %+v", n)
	}
}

// eventRow is the row of thread id in the latest inbox:changed event that
// carries it.
func eventRow(t *testing.T, ev *events, id string) client.ThreadSummary {
	t.Helper()
	all := ev.named(client.EventInboxChanged)
	for i := len(all) - 1; i >= 0; i-- {
		for _, r := range all[i].Payload.(client.InboxChange).Threads {
			if r.ID == id {
				return r
			}
		}
	}
	t.Fatalf("no inbox:changed event carries the row of %s", id)
	return client.ThreadSummary{}
}
