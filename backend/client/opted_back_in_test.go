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
