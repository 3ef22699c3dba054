package client_test

import (
	"context"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms"
)

// threadNamed finds a demo thread by its contact's name.
func threadNamed(t *testing.T, c *client.Client, camp, name string) client.ThreadSummary {
	t.Helper()
	for _, r := range threadsUnder(t, c, camp, client.FilterAll, "") {
		if r.ContactName == name {
			return r
		}
	}
	t.Fatalf("no thread with %s", name)
	return client.ThreadSummary{}
}

// The end of conversations in the demo, as a volunteer and an organizer
// live it: a likely opt-out decided by a report, a report the app refuses at
// once, then offline: a contact blocked, a conversation reassigned, a reply
// queued to a contact who says STOP before the app reconnects. Nothing is
// sent to them and the app says why; the organizer gets the reassigned
// conversation and sees the abuse report.
func TestConversationEndsOfflineAndOnline(t *testing.T) {
	ctx := context.Background()
	serverDir := t.TempDir()
	inst := startDemoIn(t, serverDir, "127.0.0.1:0")
	addr, url, camp := strings.TrimPrefix(inst.URL, "http://"), inst.URL, inst.Info.CampaignID
	c, ev := joined(t, inst, t.TempDir())

	// A likely opt-out: banner, Needs Attention, the action's report fields.
	wilma := threadNamed(t, c, camp, "Wilma Mankiller")
	v, err := c.Thread(ctx, wilma.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := v.Messages[len(v.Messages)-1]
	if !v.OptOutSuggested || !last.LikelyOptOut || !wilma.NeedsAttention {
		t.Fatalf("likely opt-out: suggested=%v flagged=%v attention=%v", v.OptOutSuggested, last.LikelyOptOut, wilma.NeedsAttention)
	}
	keys := []string{}
	for _, f := range v.ReportFields {
		keys = append(keys, f.Key+":"+f.Kind)
	}
	if !slices.Contains(keys, "support:choice") || !slices.Contains(keys, "household_voters:number") ||
		!slices.Contains(keys, "top_issue:text") || v.TextingHours.Start == "" {
		t.Fatalf("report fields %v, hours %+v", keys, v.TextingHours)
	}
	// A bad value is refused at once; nothing is queued.
	if err := c.SubmitReport(ctx, wilma.ID, map[string]string{"support": "Maybe"}); err == nil ||
		!strings.Contains(err.Error(), `"Maybe" is not one of the choices for Support`) {
		t.Fatalf("bad choice: %v", err)
	}
	if out, _ := c.Outbox(ctx); len(out) != 0 {
		t.Fatalf("outbox after a refused report: %+v", out)
	}
	// The banner's button files Opt Out.
	if err := c.SubmitReport(ctx, wilma.ID, map[string]string{"opt_out": "true"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Thread(ctx, wilma.ID); v.OptOutSuggested || len(v.Reports) != 1 || v.Reports[0].SubmittedByName != demo.VolunteerName ||
		v.LatestReport["opt_out"] != "true" {
		t.Fatalf("after the Opt Out report: banner %v, reports %+v, latest %v", v.OptOutSuggested, v.Reports, v.LatestReport)
	}
	// A second, partial report: what the reports say now keeps the first's Opt Out.
	if err := c.SubmitReport(ctx, wilma.ID, map[string]string{"support": "Strongly Against"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Thread(ctx, wilma.ID); len(v.Reports) != 2 || v.LatestReport["opt_out"] != "true" || v.LatestReport["support"] != "Strongly Against" {
		t.Fatalf("after a second report: reports %+v, latest %v", v.Reports, v.LatestReport)
	}
	eventually(t, "Wilma opted out, both reports with their author on the server", 10*time.Second, func() bool {
		v, err := c.Thread(ctx, wilma.ID)
		out, _ := c.Outbox(ctx)
		return err == nil && len(out) == 0 && v.Thread.OptedOut && len(v.Reports) == 2 && v.Reports[1].SubmittedByName == demo.VolunteerName
	})

	// Who conversations can go to, asked while online.
	rosa := threadNamed(t, c, camp, "Rosa Parks")
	targets, err := c.ReassignTargets(ctx, rosa.ActionID)
	if err != nil || len(targets) != 1 || targets[0].Name != demo.OrganizerName {
		t.Fatalf("reassign targets %+v %v", targets, err)
	}
	troll := threadNamed(t, c, camp, "Troll McTrollface")
	bayard := threadNamed(t, c, camp, "Bayard Rustin")

	stop(t, inst)
	eventually(t, "offline", 10*time.Second, func() bool { return c.Status(ctx).Connection == client.ConnectionOffline })
	if err := c.BlockContact(ctx, troll.ID, "rude", ""); err == nil {
		t.Fatal("a block without a valid reason was accepted")
	}
	if err := c.BlockContact(ctx, troll.ID, api.BlockHarassment, "insults"); err != nil {
		t.Fatal(err)
	}
	if err := c.Reassign(ctx, rosa.ID, targets[0].ID, "asks about going together"); err != nil {
		t.Fatal(err)
	}
	if err := c.SendReply(ctx, bayard.ID, "Great, see you at the polls!", ""); err != nil {
		t.Fatal(err)
	}
	all := threadsUnder(t, c, camp, client.FilterAll, "")
	if hasThread(all, troll.ID) || hasThread(all, rosa.ID) {
		t.Fatal("blocked or reassigned thread still in the inbox while offline")
	}
	var summaries []string
	out, _ := c.Outbox(ctx)
	for _, o := range out {
		summaries = append(summaries, o.Summary)
	}
	want := []string{"Block Troll McTrollface", "Reassign conversation with Rosa Parks", "Reply to Bayard Rustin"}
	if strings.Join(summaries, "|") != strings.Join(want, "|") {
		t.Fatalf("outbox %q, want %q", summaries, want)
	}

	// Bayard says STOP while the app is away.
	side := startDemoIn(t, serverDir, "127.0.0.1:0")
	if err := side.Server.Receive(ctx, sms.Inbound{ProviderID: "SM-stop-bayard", From: bayard.ContactPhone,
		To: mustThread(t, c, bayard.ID).Thread.SendingNumber, Body: "STOP", ReceivedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	stop(t, side)

	back := startDemoIn(t, serverDir, addr)
	t.Cleanup(func() { stop(t, back) })
	eventually(t, "online and drained", 15*time.Second, func() bool {
		st := c.Status(ctx)
		return st.Connection == client.ConnectionOnline && st.Pending == 0
	})
	eventually(t, "the refusal", 10*time.Second, func() bool { return len(ev.named(client.EventMutationRejected)) == 1 })
	n := ev.named(client.EventMutationRejected)[0].Payload.(client.RejectedNotice)
	if n.Summary != "Reply to Bayard Rustin" || !strings.Contains(n.Reason, "opted out") {
		t.Fatalf("rejection %+v", n)
	}
	eventually(t, "the reply marked failed with why", 10*time.Second, func() bool {
		v, err := c.Thread(ctx, bayard.ID)
		if err != nil {
			return false
		}
		for _, m := range v.Messages {
			if m.Body == "Great, see you at the polls!" {
				return m.Status == api.StatusFailed && m.Error == n.Reason
			}
		}
		return false
	})
	if got := sentTo(back.Network, bayard.ContactPhone); got != 0 {
		t.Fatalf("%d texts went to Bayard after his STOP", got)
	}
	all = threadsUnder(t, c, camp, client.FilterAll, "")
	if hasThread(all, troll.ID) || hasThread(all, rosa.ID) {
		t.Fatal("blocked or reassigned thread came back after sync")
	}
	if _, err := c.AdminOverview(ctx, camp); err == nil {
		t.Fatal("a volunteer read the Admin section")
	}

	// The organizer, in their own app, has Rosa's conversation and the report.
	org, _ := newClient(t, url, t.TempDir())
	if _, err := org.SignIn(ctx, demo.OrganizerEmail, demo.OrganizerPassword); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reassigned thread in the organizer's inbox", 10*time.Second, func() bool {
		v, err := org.Thread(ctx, rosa.ID)
		return err == nil && v.Thread.Reassigned != nil && v.Thread.Reassigned.FromUserName == demo.VolunteerName &&
			v.Thread.Reassigned.Note == "asks about going together" && len(v.Messages) == 2
	})
	ov, err := org.AdminOverview(ctx, camp)
	if err != nil {
		t.Fatal(err)
	}
	// The block is the newest report, above the demo's own (Rex Ruckus).
	if len(ov.Reassigned) != 1 || ov.Reassigned[0].ID != rosa.ID || len(ov.AbuseReports) != 2 ||
		ov.AbuseReports[0].ContactName != "Troll McTrollface" || ov.AbuseReports[0].Reason != api.BlockHarassment {
		t.Fatalf("admin overview %+v", ov)
	}
	if !ov.Reassigned[0].AwaitsAnswer {
		t.Fatal("Rosa's question, handed over unanswered, does not read Not answered yet")
	}
	if err := org.SendReply(ctx, rosa.ID, "Happy to go with you, Rosa.", ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Rosa answered in the Admin section", 10*time.Second, func() bool {
		ov, err := org.AdminOverview(ctx, camp)
		return err == nil && len(ov.Reassigned) == 1 && !ov.Reassigned[0].AwaitsAnswer
	})

	// The contacts' columns came with their conversations, though the
	// feed brought no assignment of them here: the organizer's Polling
	// place for Rosa, and the volunteer's for Bayard (a conversation the
	// demo seeded), read each one's polling place, not the fallback.
	for _, tc := range []struct {
		who    string
		app    *client.Client
		thread string
	}{{"the organizer", org, rosa.ID}, {"the volunteer", c, bayard.ID}} {
		place := pollingPlace(t, back, tc.thread)
		eventually(t, tc.who+"'s Polling place filled from the contact's columns", 10*time.Second, func() bool {
			v, err := tc.app.Thread(ctx, tc.thread)
			return err == nil && responseScript(v, "polling-place") == "Your polling place is "+place+". Polls are open 7am to 8pm. Thanks, "+
				strings.Fields(v.Thread.ContactName)[0]+"!" &&
				slices.Contains(v.ContactDetails, texting.Detail{Key: "polling_place", Label: "Polling place", Value: place})
		})
	}
}

// pollingPlace is the demo contact's polling place on the server.
func pollingPlace(t *testing.T, inst *demo.Instance, contactID string) string {
	t.Helper()
	var place string
	err := inst.Store.View(context.Background(), func(tx store.Tx) error {
		m, err := tx.ContactsByIDs(context.Background(), []string{contactID})
		place = m[contactID].Fields["polling_place"]
		return err
	})
	if err != nil || place == "" {
		t.Fatalf("no polling place on the server for %s: %v", contactID, err)
	}
	return place
}

// responseScript is the body of the thread's response script id, "" when
// Follow Up does not offer it.
func responseScript(v client.ThreadView, id string) string {
	for _, rs := range v.ResponseScripts {
		if rs.ID == id {
			return rs.Body
		}
	}
	return ""
}

func mustThread(t *testing.T, c *client.Client, id string) client.ThreadView {
	t.Helper()
	v, err := c.Thread(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// An admin who is online hears of a conversation reassigned to them once,
// as a reassignment, and of the contact's reply the volunteer never opened
// once, as a reply (the texts someone read are history); Reassign All hands
// over the rest after naming the count.
func TestReassignNoticeAndReassignAll(t *testing.T) {
	ctx := context.Background()
	inst := startDemo(t, quiet)
	camp := inst.Info.CampaignID
	c, _ := joined(t, inst, t.TempDir())
	org, orgEv := newClient(t, inst.URL, t.TempDir())
	if _, err := org.SignIn(ctx, demo.OrganizerEmail, demo.OrganizerPassword); err != nil {
		t.Fatal(err)
	}
	drained(t, org)
	rosa := threadNamed(t, c, camp, "Rosa Parks")
	targets, err := c.ReassignTargets(ctx, rosa.ActionID)
	if err != nil || len(targets) == 0 {
		t.Fatalf("targets %v %v", targets, err)
	}
	if err := c.Reassign(ctx, rosa.ID, "", ""); err == nil {
		t.Fatal("reassigned to nobody")
	}
	if err := c.Reassign(ctx, rosa.ID, targets[0].ID, "wants to go together"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the organizer's notice", 10*time.Second, func() bool {
		return len(orgEv.named(client.EventReplyNew)) > 0
	})
	// The thread's messages came in the same sync page as the notice: had
	// more been announced, they would be here already. The demo's Rosa
	// replied before the volunteer joined, who never opened it: no one read
	// it, so it is news for the organizer (told before the hand-over: it
	// came before it).
	notices := orgEv.named(client.EventReplyNew)
	if len(notices) != 2 {
		t.Fatalf("%d notices, want 2 (Rosa's unread reply, the hand-over): %+v", len(notices), notices)
	}
	if r := notices[0].Payload.(client.ReplyNotice); r.Reassigned || r.ThreadID != rosa.ID || r.Body != rosa.LastMessage {
		t.Fatalf("first notice %+v, want Rosa's reply %q", r, rosa.LastMessage)
	}
	n := notices[1].Payload.(client.ReplyNotice)
	if !n.Reassigned || n.ThreadID != rosa.ID || n.CampaignID != rosa.CampaignID || n.ReassignedBy != demo.VolunteerName || n.Body != "wants to go together" || n.At.IsZero() {
		t.Fatalf("notice %+v", n)
	}

	// Reassign All: the count, then every thread of that action goes.
	count, err := c.ReassignableCount(ctx, rosa.ActionID)
	// Rosa's Friends action had three threads in the inbox and one in the
	// Archive (gone quiet): every one but Rosa's is left.
	if err != nil || count != 3 {
		t.Fatalf("reassignable %d %v, want 3", count, err)
	}
	moved, err := c.ReassignAll(ctx, rosa.ActionID, targets[0].ID, "")
	if err != nil || moved != 3 {
		t.Fatalf("reassign all: %d %v", moved, err)
	}
	if n, _ := c.ReassignableCount(ctx, rosa.ActionID); n != 0 {
		t.Fatalf("%d left after Reassign All", n)
	}
	drained(t, c)
	eventually(t, "all four with the organizer", 10*time.Second, func() bool {
		n, err := org.ReassignableCount(ctx, rosa.ActionID)
		return err == nil && n == 4
	})
}
