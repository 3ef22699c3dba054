package app

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/notify"
	"github.com/textbank/textbank/backend/prefs"
)

// Window events the shell emits (the frontend routes on them).
const (
	// EventNavigateThread carries a thread id: show that conversation.
	EventNavigateThread = "navigate:thread"
	// EventNavigateInbox carries a filter name ("unread"): show that list.
	EventNavigateInbox = "navigate:inbox"
	// EventSettingsChanged carries a SettingsView (the tray can change the
	// pause behind the Settings screen's back).
	EventSettingsChanged = "settings:changed"
)

// Window is what the shell does to the app window: the Wails runtime in the
// app, a recorder in tests.
type Window interface {
	Show()
	Hide()
	SetTitle(string)
	Emit(name string, data any)
	Quit()
}

// Autostart registers the app to start at login.
type Autostart interface {
	Enable() error
	Disable() error
	IsEnabled() bool
}

// shellInbox is what the shell reads of the volunteer's inbox.
type shellInbox interface {
	Counts(ctx context.Context, campaignID string) (client.Counts, error)
	Thread(ctx context.Context, id string) (client.ThreadView, error)
	MarkRead(ctx context.Context, id string) error
}

// ShellConfig wires a Shell; Tray and Autostart may be nil.
type ShellConfig struct {
	Log    zerolog.Logger
	Inbox  shellInbox
	Prefs  *prefs.Store
	Policy *notify.Policy
	Tray   Tray
	// Notifier is made once the window exists; an error leaves the app
	// without notifications (logged), not without a window.
	Notifier  func(ctx context.Context) (Notifier, error)
	Autostart Autostart
	Title     string // the window title without the unread count
	Now       func() time.Time
}

// Shell is the app's desktop presence: the tray, notifications, the window
// title, hiding to the tray and quitting. It holds no inbox state of its
// own; it asks the client.
type Shell struct {
	cfg ShellConfig
	log zerolog.Logger

	unreadKick chan struct{}
	replyKick  chan struct{}
	stop       chan struct{}
	stopOnce   sync.Once

	mu         sync.Mutex
	ctx        context.Context
	win        Window
	notifier   Notifier
	visible    bool
	quitting   bool
	unread     int
	openThread string
	replies    []any // reply:new payloads not yet considered
	flushTimer *time.Timer
	pauseTimer *time.Timer
}

// NewShell builds the shell; Startup brings it up with the window.
func NewShell(cfg ShellConfig) *Shell {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Shell{cfg: cfg, log: cfg.Log, unreadKick: make(chan struct{}, 1), replyKick: make(chan struct{}, 1), stop: make(chan struct{}), ctx: context.Background(), visible: true}
}

// Startup runs once the window exists (Wails OnStartup). hidden: the app
// was started at login and stays in the tray.
func (s *Shell) Startup(ctx context.Context, win Window, hidden bool) {
	s.mu.Lock()
	s.ctx, s.win, s.visible = ctx, win, !hidden
	s.mu.Unlock()
	if s.cfg.Notifier != nil {
		n, err := s.cfg.Notifier(ctx)
		if err != nil {
			s.log.Warn().Err(err).Msg("desktop notifications unavailable")
		} else {
			n.OnAction(s.onNotification)
			s.mu.Lock()
			s.notifier = n
			s.mu.Unlock()
		}
	}
	if hidden && (s.cfg.Tray == nil || !s.cfg.Tray.Present()) {
		// Started at login on a desktop without a tray: hidden, nobody
		// could ever find the window.
		s.log.Info().Msg("no tray to start hidden in; showing the window")
		s.ShowWindow()
	}
	s.applyPrefs()
	go s.unreadLoop()
	go s.replyLoop()
	s.RefreshUnread()
}

// Shutdown stops the shell's goroutines and removes the tray icon.
func (s *Shell) Shutdown() {
	s.stopOnce.Do(func() { close(s.stop) })
	s.mu.Lock()
	n := s.notifier
	s.notifier = nil
	if s.flushTimer != nil {
		s.flushTimer.Stop()
	}
	if s.pauseTimer != nil {
		s.pauseTimer.Stop()
	}
	s.mu.Unlock()
	if n != nil {
		n.Close()
	}
	if s.cfg.Tray != nil {
		s.cfg.Tray.Close()
	}
}

// OnEvent hears the client's events (after Core has passed them to the
// window).
func (s *Shell) OnEvent(ev client.Event) {
	switch ev.Name {
	case client.EventInboxChanged:
		s.RefreshUnread()
	case client.EventReplyNew:
		// Considered off the sync goroutine: each reply needs a cache read.
		s.mu.Lock()
		s.replies = append(s.replies, ev.Payload)
		s.mu.Unlock()
		select {
		case s.replyKick <- struct{}{}:
		default:
		}
	}
}

func (s *Shell) replyLoop() {
	for {
		select {
		case <-s.stop:
			return
		case <-s.replyKick:
		}
		s.mu.Lock()
		batch := s.replies
		s.replies = nil
		s.mu.Unlock()
		for _, p := range batch {
			s.offer(p)
		}
	}
}

// RefreshUnread asks for a fresh unread count; bursts of changes are
// coalesced into one count.
func (s *Shell) RefreshUnread() {
	select {
	case s.unreadKick <- struct{}{}:
	default:
	}
}

func (s *Shell) unreadLoop() {
	for {
		select {
		case <-s.stop:
			return
		case <-s.unreadKick:
		}
		counts, err := s.cfg.Inbox.Counts(s.context(), "")
		if err != nil {
			// Signed out or starting: no count is zero unread.
			counts = client.Counts{}
		}
		s.mu.Lock()
		changed := counts["unread"] != s.unread
		s.unread = counts["unread"]
		s.mu.Unlock()
		if changed {
			s.log.Debug().Int("unread", counts["unread"]).Msg("unread count")
		}
		s.render()
	}
}

// render shows the unread count and pause in the title and the tray.
func (s *Shell) render() {
	st, _ := s.loadPrefs()
	s.mu.Lock()
	unread, win := s.unread, s.win
	s.mu.Unlock()
	if win != nil {
		win.SetTitle(windowTitle(s.cfg.Title, unread))
	}
	if s.cfg.Tray != nil {
		s.cfg.Tray.Render(trayState(unread, st, s.cfg.Now()))
	}
}

// Unread is the last unread count shown.
func (s *Shell) Unread() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unread
}

func (s *Shell) context() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx
}

func (s *Shell) loadPrefs() (prefs.Settings, error) {
	if s.cfg.Prefs == nil {
		return prefs.Defaults(), nil
	}
	st, err := s.cfg.Prefs.Load()
	if err != nil {
		s.log.Warn().Err(err).Msg("settings unreadable; using defaults")
	}
	return st, err
}

// applyPrefs hands the notification settings to the policy and re-draws
// the tray when a pause ends.
func (s *Shell) applyPrefs() {
	st, _ := s.loadPrefs()
	if s.cfg.Policy != nil {
		s.cfg.Policy.SetSettings(notify.Settings{Enabled: st.Notifications == prefs.NotifyOn, PausedUntil: st.PausedUntil})
	}
	s.mu.Lock()
	if s.pauseTimer != nil {
		s.pauseTimer.Stop()
		s.pauseTimer = nil
	}
	if wait := st.PausedUntil.Sub(s.cfg.Now()); wait > 0 {
		s.pauseTimer = time.AfterFunc(wait+time.Second, s.render)
	}
	s.mu.Unlock()
	s.render()
}

// replyNotice is the reply:new payload. It is read through JSON so that
// fields the client may add later (at, contactPhone, optedOut...) are used
// when present, and looked up in the cache when not.
type replyNotice struct {
	ThreadID     string    `json:"threadId"`
	ContactName  string    `json:"contactName"`
	ContactPhone string    `json:"contactPhone"`
	Body         string    `json:"body"`
	At           time.Time `json:"at"`
}

func (s *Shell) offer(payload any) {
	if s.cfg.Policy == nil {
		return
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return
	}
	var n replyNotice
	if err := json.Unmarshal(raw, &n); err != nil || n.ThreadID == "" {
		s.log.Warn().Err(err).Msg("reply notice without a thread")
		return
	}
	r := notify.Reply{ThreadID: n.ThreadID, ContactName: n.ContactName, ContactPhone: n.ContactPhone, Body: n.Body, At: n.At}
	// The thread tells who the contact is now (opted out? blocked?), the
	// action, and when its newest reply arrived (the policy's clock for
	// history).
	if v, err := s.cfg.Inbox.Thread(s.context(), n.ThreadID); err == nil {
		t := v.Thread
		r.ContactName, r.ContactPhone, r.OptedOut, r.Blocked, r.Action = t.ContactName, t.ContactPhone, t.OptedOut, t.Blocked, v.ActionTitle
		if r.At.IsZero() && t.LastInboundAt != nil {
			r.At = *t.LastInboundAt
		}
	} else {
		s.log.Debug().Err(err).Str("thread", n.ThreadID).Msg("reply notice for a thread not in the cache")
	}
	now := s.cfg.Now()
	reason, due, err := s.cfg.Policy.Offer(now, r)
	if err != nil {
		s.log.Warn().Err(err).Msg("notification policy")
	}
	s.log.Debug().Str("thread", r.ThreadID).Str("decision", string(reason)).Msg("reply notice")
	if reason != notify.Queued {
		return
	}
	s.mu.Lock()
	if s.flushTimer == nil {
		s.flushTimer = time.AfterFunc(due.Sub(now), s.flush)
	}
	s.mu.Unlock()
}

func (s *Shell) flush() {
	s.mu.Lock()
	s.flushTimer = nil
	n := s.notifier
	s.mu.Unlock()
	notes := s.cfg.Policy.Flush(s.cfg.Now())
	if n == nil {
		return
	}
	st, _ := s.loadPrefs()
	for _, note := range notes {
		if err := n.Notify(note, st.Sound); err != nil {
			s.log.Warn().Err(err).Msg("show notification")
			continue
		}
		s.log.Info().Str("note", note.ID).Int("replies", note.Count).Msg("notification shown")
	}
}

// SetOpenThread is told which thread is on screen ("" for none); a hidden
// window has none on screen whatever was open in it.
func (s *Shell) SetOpenThread(id string) {
	s.mu.Lock()
	s.openThread = id
	visible := s.visible
	s.mu.Unlock()
	if s.cfg.Policy != nil && visible {
		s.cfg.Policy.SetOpenThread(id)
	}
}

// onNotification handles a click on a notification.
func (s *Shell) onNotification(action, threadID string) {
	if action == ActionRead && threadID != "" {
		if err := s.cfg.Inbox.MarkRead(s.context(), threadID); err != nil {
			s.log.Warn().Err(err).Str("thread", threadID).Msg("mark as read from a notification")
		}
		s.RefreshUnread()
		return
	}
	s.log.Info().Str("thread", threadID).Msg("opened from a notification")
	s.ShowWindow()
	s.mu.Lock()
	win := s.win
	s.mu.Unlock()
	if win == nil {
		return
	}
	if threadID != "" {
		win.Emit(EventNavigateThread, threadID)
	} else {
		win.Emit(EventNavigateInbox, "unread")
	}
}

// ShowWindow brings the window back from the tray and to the front.
func (s *Shell) ShowWindow() {
	s.mu.Lock()
	win := s.win
	s.visible = true
	open := s.openThread
	s.mu.Unlock()
	if s.cfg.Policy != nil {
		s.cfg.Policy.SetOpenThread(open)
	}
	s.tellClientOpenThread(open)
	if win != nil {
		win.Show()
	}
}

// BeforeClose is Wails' OnBeforeClose: with a tray, closing the window
// hides it (the first time, a notification says where Textbank went);
// without one, or after Quit, the app quits.
func (s *Shell) BeforeClose(context.Context) (prevent bool) {
	s.mu.Lock()
	quitting, win, n := s.quitting, s.win, s.notifier
	s.mu.Unlock()
	if quitting || s.cfg.Tray == nil || !s.cfg.Tray.Present() {
		return false
	}
	s.hide(win)
	st, _ := s.loadPrefs()
	if !st.TrayHintShown && n != nil && s.cfg.Prefs != nil {
		err := n.Notify(notify.Note{ID: "tray-hint", Title: "Textbank is still running",
			Body: "It keeps your inbox up to date and tells you of new replies. To quit, use Quit Textbank in the tray icon's menu."}, false)
		if err != nil {
			s.log.Warn().Err(err).Msg("tell the volunteer Textbank is in the tray")
		} else if _, err := s.cfg.Prefs.Update(func(p *prefs.Settings) { p.TrayHintShown = true }); err != nil {
			s.log.Warn().Err(err).Msg("remember the tray notice was shown")
		}
	}
	return true
}

// clientOpenThread is the client's own open-thread tracking (it marks the
// open thread's replies read and keeps them quiet); used when the client
// has it, so a thread left open in a hidden window is not "on screen".
type clientOpenThread interface{ SetOpenThread(id string) }

func (s *Shell) tellClientOpenThread(id string) {
	if c, ok := s.cfg.Inbox.(clientOpenThread); ok {
		c.SetOpenThread(id)
	}
}

func (s *Shell) hide(win Window) {
	s.mu.Lock()
	s.visible = false
	s.mu.Unlock()
	if s.cfg.Policy != nil {
		s.cfg.Policy.SetOpenThread("")
	}
	s.tellClientOpenThread("")
	if win != nil {
		win.Hide()
	}
}

// Quit really quits (the tray's Quit, a signal).
func (s *Shell) Quit() {
	s.mu.Lock()
	s.quitting = true
	win := s.win
	s.mu.Unlock()
	if win != nil {
		win.Quit()
	}
}

// Pause silences notifications: "hour", "tomorrow" (8:00) or "off" (until
// turned back on).
func (s *Shell) Pause(choice string) (prefs.Settings, error) {
	var change func(*prefs.Settings)
	if choice == "off" {
		change = func(p *prefs.Settings) { p.Notifications, p.PausedUntil = prefs.NotifyOff, time.Time{} }
	} else {
		until, err := notify.PauseUntil(s.cfg.Now(), choice)
		if err != nil {
			return prefs.Settings{}, err
		}
		change = func(p *prefs.Settings) { p.Notifications, p.PausedUntil = prefs.NotifyOn, until }
	}
	return s.UpdatePrefs(change)
}

// Resume turns notifications back on.
func (s *Shell) Resume() (prefs.Settings, error) {
	return s.UpdatePrefs(func(p *prefs.Settings) { p.Notifications, p.PausedUntil = prefs.NotifyOn, time.Time{} })
}

// UpdatePrefs saves a settings change and applies it to the policy, the
// tray and the window.
func (s *Shell) UpdatePrefs(change func(*prefs.Settings)) (prefs.Settings, error) {
	if s.cfg.Prefs == nil {
		return prefs.Settings{}, errors.New("settings are not available")
	}
	st, err := s.cfg.Prefs.Update(change)
	if err != nil {
		return prefs.Settings{}, err
	}
	s.applyPrefs()
	s.mu.Lock()
	win := s.win
	s.mu.Unlock()
	if win != nil {
		win.Emit(EventSettingsChanged, st)
	}
	return st, nil
}

// TrayActions are the tray menu's handlers.
func (s *Shell) TrayActions() TrayActions {
	return TrayActions{
		Open: s.ShowWindow,
		OpenUnread: func() {
			s.ShowWindow()
			s.mu.Lock()
			win := s.win
			s.mu.Unlock()
			if win != nil {
				win.Emit(EventNavigateInbox, "unread")
			}
		},
		Pause: func(choice string) {
			if _, err := s.Pause(choice); err != nil {
				s.log.Warn().Err(err).Msg("pause notifications")
			}
		},
		Resume: func() {
			if _, err := s.Resume(); err != nil {
				s.log.Warn().Err(err).Msg("resume notifications")
			}
		},
		Quit: s.Quit,
	}
}

// Log is the shell's logger.
func (s *Shell) Log() zerolog.Logger { return s.log }
