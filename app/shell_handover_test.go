package app

import (
	"testing"
	"time"

	"github.com/textbank/textbank/backend/client"
)

// TestReassignAllNotifiesAndClickOpensTheAdminSection: conversations handed
// over together (Reassign All Conversations) are one note, and a click on it
// opens the Admin section of their campaign, which lists them: the Unread
// filter would not (a handover is no unread reply).
func TestReassignAllNotifiesAndClickOpensTheAdminSection(t *testing.T) {
	r := newRig(t, true)
	at := time.Now().Add(time.Hour)
	for _, id := range []string{"t1", "t2"} {
		r.shell.OnEvent(client.Event{Name: client.EventReplyNew, Payload: client.ReplyNotice{ThreadID: id, CampaignID: "c1",
			Body: "out this week", At: at, Reassigned: true, ReassignedBy: "Dana"}})
	}
	n := r.note(t)
	if n.Title != "2 conversations reassigned to you" || n.ThreadID != "" || n.AdminCampaignID != "c1" {
		t.Fatalf("note %+v, want two handovers leading to c1's Admin section", n)
	}
	r.notes.onAction(ActionOpen, n)
	r.win.mu.Lock()
	defer r.win.mu.Unlock()
	last := r.win.events[len(r.win.events)-1]
	if last.name != EventNavigateAdmin || last.data != "c1" {
		t.Fatalf("last event %+v, want navigate:admin c1", last)
	}
}
