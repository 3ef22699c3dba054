package client_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/democampaign"
)

// The demo's numbers are North American: shown as people there write them.
var northAmerican = regexp.MustCompile(`^\(\d{3}\) \d{3}-\d{4}$`)

// Every row and view the window shows carries the number's display form,
// made in Go (backend/phone): the send queue, the inbox rows, the open
// thread, the reply notice and the Admin section; the contact without a
// name is named by it. The stored numbers stay E.164.
func TestRowsCarryTheNumbersDisplay(t *testing.T) {
	ctx := context.Background()
	inst := startDemo(t, quiet)
	c, ev := joined(t, inst, t.TempDir())
	camp, actionID := inst.Info.CampaignID, inst.Info.ActionID

	// Text batch after batch until the demo's contact without a name
	// (the last of the list) comes up.
	var nameless client.QueueItem
	for round := 0; nameless.ContactID == ""; round++ {
		if round > 20 {
			t.Fatal("the contact without a name never came up")
		}
		if _, err := c.TextAgain(ctx, actionID); err != nil {
			t.Fatal(err)
		}
		q, err := c.Queue(ctx, actionID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range q.Items {
			if !northAmerican.MatchString(it.PhoneDisplay) || it.Phone[0] != '+' {
				t.Fatalf("queue item %+v: phone %q shown as %q", it, it.Phone, it.PhoneDisplay)
			}
			if it.Name == it.PhoneDisplay {
				nameless = it
			}
			if err := c.SendInitial(ctx, actionID, it.ContactID); err != nil {
				t.Fatal(err)
			}
		}
		drained(t, c)
	}

	var row client.ThreadSummary
	for _, r := range threadsUnder(t, c, camp, client.FilterAll, "") {
		if !northAmerican.MatchString(r.ContactPhoneDisplay) {
			t.Fatalf("inbox row %+v: phone shown as %q", r, r.ContactPhoneDisplay)
		}
		if r.ContactPhone == nameless.Phone {
			row = r
		}
	}
	if row.ID == "" || row.ContactName != nameless.PhoneDisplay || row.ContactPhoneDisplay != nameless.PhoneDisplay {
		t.Fatalf("the nameless contact's row is %+v; want named %q", row, nameless.PhoneDisplay)
	}
	v := mustThread(t, c, row.ID)
	if v.Thread.ContactName != nameless.PhoneDisplay || v.ContactPhoneDisplay != nameless.PhoneDisplay || v.Thread.ContactPhone != nameless.Phone {
		t.Fatalf("the nameless contact's thread: name %q, phone %q shown as %q", v.Thread.ContactName, v.Thread.ContactPhone, v.ContactPhoneDisplay)
	}

	// Their reply is announced under the number's display form, and the
	// changed row the window is sent carries it too.
	reply(t, inst, c, row.ID, "Who is this?")
	eventually(t, "the reply notice", 10*time.Second, func() bool {
		for _, e := range ev.named(client.EventReplyNew) {
			if n := e.Payload.(client.ReplyNotice); n.ThreadID == row.ID {
				if n.ContactName != nameless.PhoneDisplay {
					t.Fatalf("reply notice names the contact %q", n.ContactName)
				}
				return true
			}
		}
		return false
	})
	changed := false
	for _, e := range ev.named(client.EventInboxChanged) {
		for _, r := range e.Payload.(client.InboxChange).Threads {
			if r.ID == row.ID && r.LastMessage == "Who is this?" {
				changed = true
				if r.ContactName != nameless.PhoneDisplay || r.ContactPhoneDisplay != nameless.PhoneDisplay {
					t.Fatalf("the changed row is %+v", r)
				}
			}
		}
	}
	if !changed {
		t.Fatal("no changed row came with the reply")
	}

	// Blocked, the nameless contact reaches the organizer's Admin section
	// under the number's display form, and the stranger's text with both
	// of its numbers as people read them.
	if err := c.BlockContact(ctx, row.ID, api.BlockSpam, ""); err != nil {
		t.Fatal(err)
	}
	drained(t, c)
	org, _ := newClient(t, inst.URL, t.TempDir())
	if _, err := org.SignIn(ctx, demo.OrganizerEmail, demo.OrganizerPassword); err != nil {
		t.Fatal(err)
	}
	ov, err := org.AdminOverview(ctx, camp)
	if err != nil {
		t.Fatal(err)
	}
	var reported []api.AbuseReport // the demo seeds a report of its own
	for _, r := range ov.AbuseReports {
		if r.ContactPhone == nameless.Phone {
			reported = append(reported, r)
		}
	}
	if len(reported) != 1 || reported[0].ContactName != nameless.PhoneDisplay {
		t.Fatalf("abuse reports %+v; want the nameless contact named %q", ov.AbuseReports, nameless.PhoneDisplay)
	}
	var stranger client.UnroutableText
	for _, u := range ov.Unroutable {
		if u.From == democampaign.StrangerPhone {
			stranger = u
		}
	}
	if stranger.FromDisplay != "(312) 555-0199" || stranger.ToDisplay != "(202) 555-0180" || stranger.To != "+12025550180" {
		t.Fatalf("the stranger's text %+v; want its numbers shown (312) 555-0199 and (202) 555-0180", stranger)
	}
	if len(ov.OptIns) == 0 || ov.OptIns[0].ContactName != "Ida Wells" {
		t.Fatalf("opt-ins %+v", ov.OptIns)
	}
}
