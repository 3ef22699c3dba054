package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/notify"
	"github.com/textbank/textbank/backend/prefs"
)

type emitted struct {
	name string
	data any
}

type fakeWindow struct {
	mu      sync.Mutex
	title   string
	shown   int
	hidden  int
	quit    int
	events  []emitted
	changed chan struct{}
}

func newFakeWindow() *fakeWindow { return &fakeWindow{changed: make(chan struct{}, 100)} }

func (w *fakeWindow) poke() {
	select {
	case w.changed <- struct{}{}:
	default:
	}
}
func (w *fakeWindow) Show()             { w.mu.Lock(); w.shown++; w.mu.Unlock(); w.poke() }
func (w *fakeWindow) Hide()             { w.mu.Lock(); w.hidden++; w.mu.Unlock(); w.poke() }
func (w *fakeWindow) SetTitle(t string) { w.mu.Lock(); w.title = t; w.mu.Unlock(); w.poke() }
func (w *fakeWindow) Quit()             { w.mu.Lock(); w.quit++; w.mu.Unlock(); w.poke() }
func (w *fakeWindow) Emit(name string, data any) {
	w.mu.Lock()
	w.events = append(w.events, emitted{name, data})
	w.mu.Unlock()
	w.poke()
}

type fakeTray struct {
	mu      sync.Mutex
	present bool
	state   TrayState
	closed  bool
}

func (t *fakeTray) Present() bool      { t.mu.Lock(); defer t.mu.Unlock(); return t.present }
func (t *fakeTray) Render(s TrayState) { t.mu.Lock(); t.state = s; t.mu.Unlock() }
func (t *fakeTray) Close()             { t.mu.Lock(); t.closed = true; t.mu.Unlock() }
func (t *fakeTray) State() TrayState   { t.mu.Lock(); defer t.mu.Unlock(); return t.state }

type fakeInbox struct {
	mu      sync.Mutex
	unread  int
	failing error // what Counts answers, when set
	threads map[string]api.Thread
	read    []string
}

func (f *fakeInbox) Counts(context.Context, string) (client.Counts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing != nil {
		return nil, f.failing
	}
	return client.Counts{"unread": f.unread}, nil
}

func (f *fakeInbox) Thread(_ context.Context, id string) (client.ThreadView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.threads[id]
	if !ok {
		return client.ThreadView{}, errors.New("not found")
	}
	return client.ThreadView{Thread: t, ActionTitle: "Recruit"}, nil
}

func (f *fakeInbox) MarkRead(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.read = append(f.read, id)
	return nil
}

type rig struct {
	shell *Shell
	win   *fakeWindow
	tray  *fakeTray
	notes *fakeNotifier
	inbox *fakeInbox
	prefs *prefs.Store
	log   lockedBuffer // the shell's log
}

// lockedBuffer is a log written by the shell's goroutines and read by the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// decided: the policy has decided a reply with reason (the shell logs each).
func (r *rig) decided(reason notify.Reason) bool { return r.log.decided(reason) }

func (b *lockedBuffer) decided(reason notify.Reason) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Contains(b.buf.String(), `"decision":"`+string(reason)+`"`)
}

func newRig(t *testing.T, trayPresent bool) *rig {
	t.Helper()
	start := time.Now()
	later := start.Add(time.Minute)
	inbox := &fakeInbox{threads: map[string]api.Thread{
		"t1":   {ID: "t1", ContactName: "Ada Lovelace", ContactPhone: "+15555550101", LastInboundAt: &later},
		"t2":   {ID: "t2", ContactPhone: "+15555550102", LastInboundAt: &later},
		"t3":   {ID: "t3", ContactName: "Marker", LastInboundAt: ptr(later.Add(time.Minute))},
		"old":  {ID: "old", ContactName: "Old Friend", LastInboundAt: ptr(start.Add(-time.Hour))},
		"stop": {ID: "stop", ContactName: "Opted Out", OptedOut: true, LastInboundAt: &later},
	}}
	policy := notify.New(notify.Config{Window: 20 * time.Millisecond})
	r := &rig{
		win: newFakeWindow(), tray: &fakeTray{present: trayPresent},
		notes: &fakeNotifier{notes: make(chan notify.Note, 10)}, inbox: inbox,
		prefs: prefs.NewStore(filepath.Join(t.TempDir(), "settings.json")),
	}
	r.shell = NewShell(ShellConfig{
		Log: zerolog.New(&r.log).Level(zerolog.DebugLevel), Inbox: inbox, Prefs: r.prefs, Policy: policy, Tray: r.tray,
		Notifier: func(context.Context) (Notifier, error) { return r.notes, nil },
		Title:    "Textbank",
	})
	r.shell.Startup(context.Background(), r.win, false)
	t.Cleanup(r.shell.Shutdown)
	return r
}

func ptr[T any](v T) *T { return &v }

// waitFor polls cond until it holds; the deadline only stops a broken test
// from hanging.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (r *rig) note(t *testing.T) notify.Note {
	t.Helper()
	select {
	case n := <-r.notes.notes:
		return n
	case <-time.After(5 * time.Second):
		t.Fatal("no notification")
	}
	return notify.Note{}
}

func (r *rig) noNote(t *testing.T) {
	t.Helper()
	// Offer a reply that must notify, then check it is the first note: any
	// note for the earlier replies would have come before it.
	r.shell.OnEvent(client.Event{Name: client.EventReplyNew, Payload: client.ReplyNotice{ThreadID: "t3", Body: "marker"}})
	if n := r.note(t); n.ThreadID != "t3" || n.Count != 1 {
		t.Fatalf("expected no notification before the marker, got %+v", n)
	}
}

func reply(id, body string) client.Event {
	return client.Event{Name: client.EventReplyNew, Payload: client.ReplyNotice{ThreadID: id, ContactName: "whoever", Body: body}}
}

func TestUnreadCountInTitleAndTray(t *testing.T) {
	r := newRig(t, true)
	r.inbox.mu.Lock()
	r.inbox.unread = 3
	r.inbox.mu.Unlock()
	r.shell.OnEvent(client.Event{Name: client.EventInboxChanged})
	waitFor(t, "title with the count", func() bool {
		r.win.mu.Lock()
		defer r.win.mu.Unlock()
		return r.win.title == "(3) Textbank"
	})
	st := r.tray.State()
	if st.Tooltip != "Textbank: 3 unread replies" || st.UnreadItem != "3 unread replies" || st.Title != "3" {
		t.Fatalf("tray shows %+v", st)
	}
}

// A cache that cannot be opened shows no unread count, and is not warned
// of at every count: the client logs its cause once.
func TestUnreadCountOfAnUnopenedCache(t *testing.T) {
	r := newRig(t, true)
	r.inbox.mu.Lock()
	r.inbox.unread = 3
	r.inbox.mu.Unlock()
	r.shell.OnEvent(client.Event{Name: client.EventInboxChanged})
	waitFor(t, "title with the count", func() bool { r.win.mu.Lock(); defer r.win.mu.Unlock(); return r.win.title == "(3) Textbank" })
	r.inbox.mu.Lock()
	r.inbox.failing = fmt.Errorf("the words: %w", client.ErrUnopened)
	r.inbox.mu.Unlock()
	r.shell.OnEvent(client.Event{Name: client.EventInboxChanged})
	waitFor(t, "title without the count", func() bool { r.win.mu.Lock(); defer r.win.mu.Unlock(); return r.win.title == "Textbank" })
	r.log.mu.Lock()
	defer r.log.mu.Unlock()
	for _, line := range strings.Split(r.log.buf.String(), "\n") {
		if strings.Contains(line, `"level":"warn"`) && strings.Contains(line, `"message":"unread count"`) {
			t.Errorf("the unopened cache warned of at a count: %s", line)
		}
	}
}

func TestHiddenWindowHasNoThreadOnScreen(t *testing.T) {
	r := newRig(t, true)
	r.shell.SetOpenThread("t1")
	if !r.shell.BeforeClose(context.Background()) {
		t.Fatal("closing with a tray must hide, not quit")
	}
	<-r.notes.notes // tray notice
	r.shell.OnEvent(reply("t1", "while hidden"))
	if n := r.note(t); n.ThreadID != "t1" {
		t.Fatalf("note %+v, want one for t1", n)
	}
}

func TestCloseHidesToTrayOnceToldThenQuits(t *testing.T) {
	r := newRig(t, true)
	if !r.shell.BeforeClose(context.Background()) {
		t.Fatal("closing with a tray must hide")
	}
	if n := r.note(t); n.ID != "tray-hint" {
		t.Fatalf("first close: note %+v, want the tray notice", n)
	}
	r.shell.ShowWindow()
	if !r.shell.BeforeClose(context.Background()) {
		t.Fatal("second close must hide too")
	}
	select {
	case n := <-r.notes.notes:
		t.Fatalf("the tray notice came twice: %+v", n)
	default:
	}
	r.shell.Quit()
	if r.shell.BeforeClose(context.Background()) {
		t.Fatal("after Quit, closing must not be prevented")
	}
	r.win.mu.Lock()
	defer r.win.mu.Unlock()
	if r.win.hidden != 2 || r.win.quit != 1 {
		t.Fatalf("hidden %d quit %d, want 2 and 1", r.win.hidden, r.win.quit)
	}
}

func TestCloseWithoutTrayQuits(t *testing.T) {
	r := newRig(t, false)
	if r.shell.BeforeClose(context.Background()) {
		t.Fatal("without a tray, closing must quit rather than strand the app")
	}
}

func TestPauseFromTraySilencesAndShows(t *testing.T) {
	r := newRig(t, true)
	r.shell.TrayActions().Pause("hour")
	st, err := r.prefs.Load()
	if err != nil || st.PausedUntil.IsZero() {
		t.Fatalf("pause not saved: %+v %v", st, err)
	}
	if ts := r.tray.State(); ts.Paused == "" {
		t.Fatalf("tray does not show the pause: %+v", ts)
	}
	r.shell.OnEvent(reply("t1", "during the pause"))
	// Replies are considered off the caller's goroutine: wait until this
	// one has been before resuming.
	waitFor(t, "the reply to be considered", func() bool { return r.decided(notify.Paused) })
	r.shell.TrayActions().Resume()
	if ts := r.tray.State(); ts.Paused != "" {
		t.Fatalf("tray still paused after Resume: %+v", ts)
	}
	r.noNote(t)
	if _, err := r.shell.Pause("forever"); err == nil {
		t.Fatal("an unknown pause was accepted")
	}
}

func TestTrayState(t *testing.T) {
	now := time.Date(2026, 11, 29, 19, 0, 0, 0, time.UTC)
	on := prefs.Defaults()
	paused := on
	paused.PausedUntil = now.Add(time.Hour)
	overnight := on
	overnight.PausedUntil = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	off := on
	off.Notifications = prefs.NotifyOff
	for _, tc := range []struct {
		name   string
		unread int
		s      prefs.Settings
		want   TrayState
	}{
		{"nothing unread", 0, on, TrayState{Tooltip: "Textbank: No unread replies", UnreadItem: "No unread replies"}},
		{"one", 1, on, TrayState{Unread: 1, Tooltip: "Textbank: 1 unread reply", Title: "1", UnreadItem: "1 unread reply"}},
		{"paused", 2, paused, TrayState{Unread: 2, Tooltip: "Textbank: 2 unread replies (paused until 20:00)", Title: "2", UnreadItem: "2 unread replies", Paused: "Paused until 20:00"}},
		{"overnight", 0, overnight, TrayState{Tooltip: "Textbank: No unread replies (paused until tomorrow 08:00)", UnreadItem: "No unread replies", Paused: "Paused until tomorrow 08:00"}},
		{"off", 0, off, TrayState{Tooltip: "Textbank: No unread replies (notifications off)", UnreadItem: "No unread replies", Paused: "Notifications off"}},
	} {
		if got := trayState(tc.unread, tc.s, now); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
	if got := windowTitle("Textbank", 0); got != "Textbank" {
		t.Errorf("title with nothing unread: %q", got)
	}
}

func TestHiddenStartWithoutTrayShowsTheWindow(t *testing.T) {
	for _, present := range []bool{true, false} {
		win := newFakeWindow()
		s := NewShell(ShellConfig{Log: zerolog.Nop(), Inbox: &fakeInbox{}, Tray: &fakeTray{present: present}, Title: "Textbank"})
		s.Startup(context.Background(), win, true)
		win.mu.Lock()
		shown := win.shown
		win.mu.Unlock()
		s.Shutdown()
		if want := map[bool]int{true: 0, false: 1}[present]; shown != want {
			t.Errorf("tray present %v: window shown %d times, want %d", present, shown, want)
		}
	}
}

// inboxWithOpenThread also tracks the open thread, as the client does.
type inboxWithOpenThread struct {
	fakeInbox
	open []string
}

func (f *inboxWithOpenThread) SetOpenThread(id string) { f.open = append(f.open, id) }

func TestHidingTellsTheClientNoThreadIsOnScreen(t *testing.T) {
	inbox := &inboxWithOpenThread{}
	s := NewShell(ShellConfig{Log: zerolog.Nop(), Inbox: inbox, Tray: &fakeTray{present: true}, Title: "Textbank"})
	s.Startup(context.Background(), newFakeWindow(), false)
	defer s.Shutdown()
	s.SetOpenThread("t1")
	s.BeforeClose(context.Background())
	s.ShowWindow()
	if len(inbox.open) != 2 || inbox.open[0] != "" || inbox.open[1] != "t1" {
		t.Fatalf("client told %q, want [\"\" \"t1\"] (hidden, then shown again)", inbox.open)
	}
}
