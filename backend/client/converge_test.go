package client_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/client"
)

// snapshot is everything the inbox shows, as text.
func snapshot(t *testing.T, c *client.Client, camp string) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	s, err := c.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counts, _ := c.Counts(ctx, camp)
	fmt.Fprintf(&b, "settings %+v\ncounts %v\n", s, counts)
	for _, f := range []string{client.FilterAll, client.FilterArchive} {
		for _, r := range threadsUnder(t, c, camp, f, "") {
			fmt.Fprintf(&b, "%s %s %s unread=%v attention=%v archived=%v/%s last=%q\n", f, r.ID, r.ContactName,
				r.Unread, r.NeedsAttention, r.Archived, r.ArchivedReason, r.LastMessage)
			v, err := c.Thread(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range v.Messages {
				fmt.Fprintf(&b, "  %s %q pending=%v\n", m.Direction, m.Body, m.Pending)
			}
			for _, rep := range v.Reports {
				fmt.Fprintf(&b, "  report %s %v\n", rep.ID, rep.Values)
			}
		}
	}
	return b.String()
}

// Two desktops signed in as one volunteer, each changing things while the
// other does, end up showing the same inbox.
func TestTwoDesktopsConverge(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	camp := inst.Info.CampaignID
	a, _ := joined(t, inst, t.TempDir())
	b, _ := joined(t, inst, t.TempDir())
	rows := threadsUnder(t, a, camp, client.FilterAll, "")
	id := func(i int) string { return rows[i].ID }

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// Interleaved, without waiting for each other.
	must(a.Archive(ctx, id(0), true))
	must(b.MarkRead(ctx, id(1)))
	must(a.SendReply(ctx, id(2), "See you Saturday!", ""))
	must(b.Archive(ctx, id(3), true))
	must(a.SetAutoArchive(ctx, true))
	must(b.SendReply(ctx, id(4), "Polls close at 8pm.", ""))
	drained(t, a)
	must(b.SubmitReport(ctx, id(5), map[string]string{"will_vote": "true"}))
	// A unarchives what B archived, once A shows it archived (as a
	// volunteer only can): B's push must have reached the server and A's
	// sync must have brought it, or "unarchive" would come first there.
	drained(t, b)
	eventually(t, "A to show the thread B archived", 20*time.Second, func() bool {
		for _, r := range threadsUnder(t, a, camp, client.FilterArchive, "") {
			if r.ID == id(3) {
				return true
			}
		}
		return false
	})
	must(a.Archive(ctx, id(3), false))
	must(b.MarkRead(ctx, id(0)))
	drained(t, a)
	drained(t, b)
	// A contact answers the archived thread: both see it back.
	reply(t, inst, a, id(0), "Actually, one more thing")

	var sa, sb string
	eventually(t, "the two desktops agree", 20*time.Second, func() bool {
		sa, sb = snapshot(t, a, camp), snapshot(t, b, camp)
		return sa == sb && strings.Contains(sa, "Actually, one more thing")
	})
	// And what they agree on is what was done.
	fresh, _ := joined(t, inst, t.TempDir())
	if sf := snapshot(t, fresh, camp); sf != sa {
		t.Fatalf("the server differs from the desktops:\n%s\nvs\n%s", sf, sa)
	}
	for _, want := range []string{
		"settings {AutoArchive:true}",
		"archive " + id(5) + " ", // reported with Automatic Archive on
		"all " + id(0) + " ",     // back after the reply
		"all " + id(3) + " ",     // unarchived by the other desktop
		"\"See you Saturday!\" pending=false",
		"\"Polls close at 8pm.\" pending=false",
	} {
		if !strings.Contains(sa, want) {
			t.Fatalf("converged inbox lacks %q:\n%s", want, sa)
		}
	}
	if !strings.Contains(sa, id(5)+" "+rows[5].ContactName+" unread=true attention=true archived=true/report") {
		t.Fatalf("reported thread:\n%s", sa)
	}
}
