package client_test

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
)

// TestOptedBackInNotice: the organizer opts the demo's Ida Wells back in on
// her START; the app holding her conversation (the organizer's own, in the
// demo) hears of it once, as an opt-back-in and not a reply, and the
// conversation says who opted her back in.
func TestOptedBackInNotice(t *testing.T) {
	ctx := context.Background()
	inst := startDemo(t, quiet)
	camp := inst.Info.CampaignID
	org, orgEv := newClient(t, inst.URL, t.TempDir())
	if _, err := org.SignIn(ctx, demo.OrganizerEmail, demo.OrganizerPassword); err != nil {
		t.Fatal(err)
	}
	drained(t, org)
	ov, err := org.AdminOverview(ctx, camp)
	if err != nil || len(ov.OptIns) != 1 || ov.OptIns[0].ContactName != "Ida Wells" {
		t.Fatalf("opt-ins %+v, %v; want Ida Wells's", ov.OptIns, err)
	}
	ida := threadNamed(t, org, camp, "Ida Wells")
	if v, err := org.Thread(ctx, ida.ID); err != nil || !v.Thread.OptedOut || v.Thread.OptedBackIn != nil {
		t.Fatalf("Ida's thread before %+v, %v; want opted out", v.Thread, err)
	}
	before := len(orgEv.named(client.EventReplyNew))
	if _, err := org.OptBackIn(ctx, camp, ov.OptIns[0].ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the opt-back-in notice", 10*time.Second, func() bool {
		return len(orgEv.named(client.EventReplyNew)) > before
	})
	notices := orgEv.named(client.EventReplyNew)[before:]
	n := notices[0].Payload.(client.ReplyNotice)
	if len(notices) != 1 || !n.OptedBackIn || n.Reassigned || n.ThreadID != ida.ID || n.OptedBackInBy != demo.OrganizerName ||
		n.ContactName != "Ida Wells" || n.At.IsZero() || n.Body != "" {
		t.Fatalf("notices %+v; want one opt-back-in of Ida Wells by %s", notices, demo.OrganizerName)
	}
	v, err := org.Thread(ctx, ida.ID)
	if err != nil || v.Thread.OptedOut || v.Thread.OptedBackIn == nil || v.Thread.OptedBackIn.ByName != demo.OrganizerName {
		t.Fatalf("Ida's thread after %+v, %v; want opted back in by %s", v.Thread, err, demo.OrganizerName)
	}
	// Pulled again (a restart's catch-up), the same state is no news.
	drained(t, org)
	if got := len(orgEv.named(client.EventReplyNew)); got != before+1 {
		t.Fatalf("%d notices after another pull, want still %d", got, before+1)
	}
}

// TestOptOutUndoneNotice: a volunteer turns Opt Out on by mistake in a
// demo conversation; the organizer undoes it from the Admin section. The
// volunteer's app hears it once, as an opt-out undone (not a START), and
// the conversation says so.
func TestOptOutUndoneNotice(t *testing.T) {
	ctx := context.Background()
	inst := startDemo(t, quiet)
	camp := inst.Info.CampaignID
	vol, volEv := joined(t, inst, t.TempDir())
	org, _ := newClient(t, inst.URL, t.TempDir())
	if _, err := org.SignIn(ctx, demo.OrganizerEmail, demo.OrganizerPassword); err != nil {
		t.Fatal(err)
	}
	var th client.ThreadSummary
	for _, r := range threadsUnder(t, vol, camp, client.FilterAll, "") {
		if !r.OptedOut {
			th = r
			break
		}
	}
	if th.ID == "" {
		t.Fatal("the volunteer holds no conversation that is not opted out")
	}
	if err := vol.SubmitReport(ctx, th.ID, map[string]string{"opt_out": "true"}); err != nil {
		t.Fatal(err)
	}
	drained(t, vol)
	read, err := org.AdminThread(ctx, camp, th.ID)
	if err != nil || read.OptOut == nil || !read.OptOut.Undoable {
		t.Fatalf("the admin read of %s: %+v, %v; want a report's opt-out, undoable", th.ContactName, read.OptOut, err)
	}
	before := len(volEv.named(client.EventReplyNew))
	if after, err := org.UndoOptOut(ctx, camp, th.ID, read.OptOut.At); err != nil || after.OptOut != nil {
		t.Fatalf("undo: %+v, %v", after.OptOut, err)
	}
	eventually(t, "the undo's notice", 10*time.Second, func() bool { return len(volEv.named(client.EventReplyNew)) > before })
	notices := volEv.named(client.EventReplyNew)[before:]
	if n := notices[0].Payload.(client.ReplyNotice); len(notices) != 1 || !n.OptedBackIn || !n.OptOutUndone || n.ThreadID != th.ID ||
		n.OptedBackInBy != demo.OrganizerName {
		t.Fatalf("notices %+v; want one opt-out of %s undone by %s", notices, th.ContactName, demo.OrganizerName)
	}
	v, err := vol.Thread(ctx, th.ID)
	if err != nil || v.Thread.OptedOut || v.Thread.OptedBackIn == nil || !v.Thread.OptedBackIn.Undone || v.Thread.OptedBackIn.ByName != demo.OrganizerName {
		t.Fatalf("the thread after %+v (%+v), %v; want its opt-out undone by %s", v.Thread, v.Thread.OptedBackIn, err, demo.OrganizerName)
	}
}
