package app

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/notify"
	"github.com/textbank/textbank/backend/prefs"
)

// TestQuitBeforeStartup: a quit asked for while the window did not exist
// yet (a signal during start) closes it once it does, rather than leave the
// app running in the tray.
func TestQuitBeforeStartup(t *testing.T) {
	s := NewShell(ShellConfig{Log: zerolog.Nop(), Inbox: &fakeInbox{}, Tray: &fakeTray{present: true}, Title: "Textbank"})
	s.Quit()
	win := newFakeWindow()
	s.Startup(context.Background(), win, true)
	defer s.Shutdown()
	win.mu.Lock()
	defer win.mu.Unlock()
	if win.quit != 1 {
		t.Fatalf("the window quit %d times, want once", win.quit)
	}
}

// TestSignOutDropsRepliesNotShown: a reply waiting in the grouping window
// when the volunteer signs out is not shown afterwards, naming a contact of
// the account that left, and the notes on screen are taken back; a reply
// after the next sign-in is shown.
func TestSignOutDropsRepliesNotShown(t *testing.T) {
	start := time.Now()
	later := start.Add(time.Minute)
	inbox := &fakeInbox{threads: map[string]api.Thread{"z": {ID: "z", ContactName: "Zed Contact", LastInboundAt: &later}}}
	policy := notify.New(notify.Config{Window: 300 * time.Millisecond})
	notes := &fakeNotifier{notes: make(chan notify.Note, 10)}
	var log lockedBuffer
	s := NewShell(ShellConfig{Log: zerolog.New(&log).Level(zerolog.DebugLevel), Inbox: inbox, Policy: policy, Tray: &fakeTray{present: true},
		Notifier: func(context.Context) (Notifier, error) { return notes, nil }, Title: "Textbank"})
	s.Startup(context.Background(), newFakeWindow(), false)
	defer s.Shutdown()
	s.OnEvent(client.Event{Name: client.EventReplyNew, Payload: client.ReplyNotice{ThreadID: "z", Body: "call me", At: later}})
	waitFor(t, "the reply considered", func() bool { return log.decided(notify.Queued) })
	if notes.withdrawn.Load() != 0 {
		t.Fatal("notes withdrawn while still signed in")
	}
	s.OnEvent(client.Event{Name: client.EventSyncStatus, Payload: client.Status{SignedIn: false}})
	if notes.withdrawn.Load() == 0 {
		t.Error("the notes on screen were not taken back at sign-out")
	}
	select {
	case n := <-notes.notes:
		t.Fatalf("after sign-out a notification still shows %q / %q", n.Title, n.Body)
	case <-time.After(600 * time.Millisecond):
	}
	// Signed in again: news is news.
	again := later.Add(time.Minute)
	s.OnEvent(client.Event{Name: client.EventReplyNew, Payload: client.ReplyNotice{ThreadID: "z", Body: "hello?", At: again}})
	select {
	case n := <-notes.notes:
		if n.Count != 1 {
			t.Fatalf("note after signing in again %+v", n)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a reply after signing in again was not shown")
	}
}

// TestGroupNoteOpensItsCampaign: a click on a note of several replies all
// from one campaign opens that campaign's Unread; the tray's "unread
// replies" opens Unread where the volunteer is.
func TestGroupNoteOpensItsCampaign(t *testing.T) {
	notes := &fakeNotifier{notes: make(chan notify.Note, 10)}
	win := newFakeWindow()
	s := NewShell(ShellConfig{Log: zerolog.Nop(), Inbox: &fakeInbox{}, Tray: &fakeTray{present: true},
		Notifier: func(context.Context) (Notifier, error) { return notes, nil }, Title: "Textbank"})
	s.Startup(context.Background(), win, false)
	defer s.Shutdown()
	notes.onAction(ActionOpen, notify.Note{ID: "replies", Count: 2, CampaignID: "c2"})
	s.TrayActions().OpenUnread()
	win.mu.Lock()
	defer win.mu.Unlock()
	var got []InboxTarget
	for _, e := range win.events {
		if e.name == EventNavigateInbox {
			got = append(got, e.data.(InboxTarget))
		}
	}
	if len(got) != 2 || got[0] != (InboxTarget{Filter: "unread", CampaignID: "c2"}) || got[1] != (InboxTarget{Filter: "unread"}) {
		t.Fatalf("navigate:inbox %+v", got)
	}
}

// TestFlushRacingSignOutLeavesNothingOnScreen: a group of replies coming
// due as the volunteer signs out is never left on screen after it, naming
// a contact of the account that left: shown before the sign-out takes the
// notes back, or taken back after it.
func TestFlushRacingSignOutLeavesNothingOnScreen(t *testing.T) {
	policy := notify.New(notify.Config{Window: time.Millisecond})
	notes := &fakeNotifier{notes: make(chan notify.Note, 1)}
	// The shell's clock is past every group's window: each flush shows.
	s := NewShell(ShellConfig{Log: zerolog.Nop(), Inbox: &fakeInbox{}, Policy: policy, Tray: &fakeTray{present: true},
		Prefs:    prefs.NewStore(filepath.Join(t.TempDir(), "settings.json")),
		Notifier: func(context.Context) (Notifier, error) { return notes, nil }, Title: "Textbank",
		Now: func() time.Time { return time.Now().Add(time.Hour) }})
	s.Startup(context.Background(), newFakeWindow(), false)
	defer s.Shutdown()
	shown := 0
	for i := range 200 {
		if reason, _ := policy.Offer(time.Now(), notify.Reply{ThreadID: "z", ContactName: "Zed Contact", Body: "call me"}); reason != notify.Queued {
			t.Fatalf("reply %d: %s", i, reason)
		}
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); s.flush() }()
		go func() { defer wg.Done(); s.signedOut() }()
		wg.Wait()
		select {
		case n := <-notes.notes:
			shown++
			if left := notes.left(); left != 0 {
				t.Fatalf("round %d: %q still on screen after the sign-out", i, n.Title)
			}
		default:
		}
	}
	t.Logf("%d of 200 groups shown in the race", shown)
}
