package app

// The shell's desktop notifications for replies: what is told, what a
// click on one does (the rig and fakes are in shell_test.go).

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/notify"
)

// TestNewsDatedBeforeOneToldOfIsNotified: every reply the cache calls news
// reaches the notifier, whatever it is dated. An admin handed a conversation
// (Reassign Conversation) is told of it and of the reply no one had read,
// received an hour before the reply last told of; a reply a server whose
// clock is behind another's stamped a minute before that one is told too.
// Before, the policy dropped both as history: not later than the newest
// reply told of.
func TestNewsDatedBeforeOneToldOfIsNotified(t *testing.T) {
	r := newRig(t, true)
	told := time.Now().Add(2 * time.Minute)
	r.shell.OnEvent(client.Event{Name: client.EventReplyNew, Payload: client.ReplyNotice{ThreadID: "t3", Body: "told first", At: told}})
	if n := r.note(t); n.ThreadID != "t3" || n.Count != 1 {
		t.Fatalf("first note %+v, want one for t3", n)
	}
	r.shell.OnEvent(client.Event{Name: client.EventReplyNew, Payload: client.ReplyNotice{ThreadID: "old", ContactName: "Old Friend",
		Reassigned: true, ReassignedBy: "Dana", At: told.Add(-time.Minute)}})
	r.shell.OnEvent(client.Event{Name: client.EventReplyNew, Payload: client.ReplyNotice{ThreadID: "old", Body: "are you there?", At: told.Add(-time.Hour)}})
	if n := r.note(t); n.Count != 2 || !strings.Contains(n.Body, "Old Friend") {
		t.Fatalf("the hand-over and its unread reply: note %+v, want one for both", n)
	}
	r.shell.OnEvent(client.Event{Name: client.EventReplyNew, Payload: client.ReplyNotice{ThreadID: "t1", Body: "from a slow clock", At: told.Add(-time.Minute)}})
	if n := r.note(t); n.ThreadID != "t1" || n.Count != 1 {
		t.Fatalf("the slow clock's reply: note %+v, want one for t1", n)
	}
}

func TestReplyNotifiesAndClickOpensTheThread(t *testing.T) {
	r := newRig(t, true)
	r.shell.BeforeClose(context.Background()) // in the tray
	<-r.notes.notes                           // the first-time tray notice
	r.shell.OnEvent(reply("t1", "Yes, I can help"))
	n := r.note(t)
	want := notify.Note{ID: "reply-t1", Title: "Ada Lovelace", Body: "Recruit: Yes, I can help", ThreadID: "t1", Count: 1}
	if n != want {
		t.Fatalf("note %+v, want %+v", n, want)
	}
	r.notes.onAction(ActionOpen, n)
	r.win.mu.Lock()
	defer r.win.mu.Unlock()
	if r.win.shown != 1 {
		t.Fatalf("window shown %d times, want 1", r.win.shown)
	}
	last := r.win.events[len(r.win.events)-1]
	if last.name != EventNavigateThread || last.data != "t1" {
		t.Fatalf("last event %+v, want navigate:thread t1", last)
	}
}

func TestNumberWhenNoName(t *testing.T) {
	r := newRig(t, true)
	r.shell.OnEvent(reply("t2", "who is this?"))
	if n := r.note(t); n.Title != "(555) 555-0102" {
		t.Fatalf("title %q, want the number as people write it", n.Title)
	}
}

func TestMarkAsReadFromNotification(t *testing.T) {
	r := newRig(t, true)
	r.notes.onAction(ActionRead, notify.Note{ThreadID: "t1"})
	r.inbox.mu.Lock()
	defer r.inbox.mu.Unlock()
	if len(r.inbox.read) != 1 || r.inbox.read[0] != "t1" {
		t.Fatalf("marked read: %v", r.inbox.read)
	}
	if r.win.shown != 0 {
		t.Fatal("Mark as read must not open the window")
	}
}

func TestNoNotificationForOptedOutOrOpenThread(t *testing.T) {
	r := newRig(t, true)
	r.shell.SetOpenThread("t1")
	r.shell.OnEvent(reply("stop", "STOP"))
	r.shell.OnEvent(reply("t1", "on screen"))
	r.noNote(t)
}

// TestMessageTextCanBeKeptOffTheNotification: with Settings' "Show message
// text in notifications" off, a reply's note says who replied and in which
// action, not the contact's words (a lock screen shows it to whoever
// passes); on again, the words are back. The setting is saved with the
// other prefs.
func TestMessageTextCanBeKeptOffTheNotification(t *testing.T) {
	r := newRig(t, true)
	s := NewSettings(r.shell, SettingsInfo{}, nil)
	if v, err := s.SetShowMessageText(false); err != nil || v.ShowMessageText {
		t.Fatalf("SetShowMessageText(false) = %+v, %v", v, err)
	}
	if st, err := r.prefs.Load(); err != nil || st.ShowMessageText {
		t.Fatalf("saved settings %+v, %v: want the text hidden", st, err)
	}
	r.shell.OnEvent(reply("t1", "Yes, I can help"))
	want := notify.Note{ID: "reply-t1", Title: "Ada Lovelace", Body: "Recruit: new reply", ThreadID: "t1", Count: 1}
	if n := r.note(t); n != want {
		t.Fatalf("note with the text hidden %+v, want %+v", n, want)
	}
	if _, err := s.SetShowMessageText(true); err != nil {
		t.Fatal(err)
	}
	r.shell.OnEvent(reply("t1", "Yes, I can help"))
	if n := r.note(t); n.Body != "Recruit: Yes, I can help" {
		t.Fatalf("note with the text shown again: body %q", n.Body)
	}
}
