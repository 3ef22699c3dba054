package client_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
)

// The volunteer answers a conversation and files a report on it offline;
// meanwhile, from their other desktop, the conversation was reassigned to
// the organizer. Back online both are refused ("no longer assigned"), and
// the sync that follows takes the conversation out of this inbox. The
// Outbox must still say whom the refused changes were for: "Reply to a
// contact" tells the volunteer nothing they can pass on. The read queued
// when they opened it is refused too, but it is housekeeping the Outbox
// does not list: the window is told only of what it lists. What they wrote
// left with the conversation: the Outbox keeps it for them.
func TestRefusalOfAConversationGoneMeanwhileNamesTheContact(t *testing.T) {
	ctx := context.Background()
	serverDir := t.TempDir()
	inst := startDemoIn(t, serverDir, "127.0.0.1:0")
	addr, camp := strings.TrimPrefix(inst.URL, "http://"), inst.Info.CampaignID
	c, ev := joined(t, inst, t.TempDir())
	th := threadsUnder(t, c, camp, client.FilterAll, "")[0]
	targets, err := c.ReassignTargets(ctx, th.ActionID)
	if err != nil || len(targets) == 0 {
		t.Fatalf("targets %v %v", targets, err)
	}
	me := c.Status(ctx).User.ID

	stop(t, inst)
	eventually(t, "offline", 10*time.Second, func() bool { return c.Status(ctx).Connection == client.ConnectionOffline })
	// Opening it marks it read: housekeeping, queued but neither counted
	// nor listed, so its refusal must not be announced either.
	if err := c.MarkRead(ctx, th.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.SendReply(ctx, th.ID, "Polls close at 8pm.", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.SubmitReport(ctx, th.ID, map[string]string{"will_vote": "true", "notes": "asked about polls"}); err != nil {
		t.Fatal(err)
	}

	// The other desktop hands the conversation over while this one is away.
	side := startDemoIn(t, serverDir, "127.0.0.1:0")
	res, err := side.Server.Apply(ctx, me, api.Mutation{ID: "other-desktop-1", Type: api.MutReassign, ThreadID: th.ID,
		ToUserID: targets[0].ID, CreatedAt: time.Now()})
	if err != nil || res.Status != api.ResultApplied {
		t.Fatalf("reassign from the other desktop: %+v %v", res, err)
	}
	stop(t, side)

	back := startDemoIn(t, serverDir, addr)
	t.Cleanup(func() { stop(t, back) })
	eventually(t, "the refusals", 15*time.Second, func() bool { return len(ev.named(client.EventMutationRejected)) >= 2 })
	eventually(t, "the conversation gone from this inbox", 10*time.Second, func() bool {
		_, err := c.Thread(ctx, th.ID)
		return err != nil
	})
	out, err := c.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Reply to " + th.ContactName, "Report on " + th.ContactName}
	var got []string
	for _, o := range out {
		got = append(got, o.Summary)
		// Gone from this inbox: nothing for the Outbox to open.
		if !o.Rejected || !strings.Contains(o.Reason, "no longer assigned") || o.ThreadID != "" {
			t.Fatalf("outbox row %+v", o)
		}
	}
	// What they wrote went with the conversation: the Outbox keeps it, the
	// report's values under the labels its form showed, not their keys.
	if len(out) == 2 && (out[0].Said != "Polls close at 8pm." || out[1].Said != "Will vote: Yes; Notes: asked about polls") {
		t.Fatalf("the Outbox lost what was written: %q, %q", out[0].Said, out[1].Said)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("outbox %q, want %q", got, want)
	}
	var told []string
	for _, e := range ev.named(client.EventMutationRejected) {
		told = append(told, e.Payload.(client.RejectedNotice).Summary)
	}
	if strings.Join(told, "|") != strings.Join(want, "|") {
		t.Fatalf("the window was told of refusals %q, want %q (what the Outbox lists)", told, want)
	}
}
