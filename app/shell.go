package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/notify"
	"github.com/textbank/textbank/backend/prefs"
)

// Window events the shell emits (the frontend routes on them).
const (
	// EventNavigateThread carries a thread id: show that conversation.
	EventNavigateThread = "navigate:thread"
	// EventNavigateInbox carries an InboxTarget: show that list.
	EventNavigateInbox = "navigate:inbox"
	// EventNavigateAdmin carries a campaign id: show its Admin section
	// (where conversations reassigned to the user are listed).
	EventNavigateAdmin = "navigate:admin"
	// EventSettingsChanged says this computer's settings changed behind the
	// Settings screen's back (the tray's pause); the window reads them again
	// (Settings.Get), so its payload, the saved prefs, is not read.
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
	// Close is what the window's close button does on this system
	// (CloseBehaviourFor(runtime.GOOS)).
	Close CloseBehaviour
	Now   func() time.Time
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
	session    int   // sign-outs so far: a reply considered across one is dropped
	// offerMu orders a reply's offer and a group's showing (flush) against
	// a sign-out: each happens wholly before it or not at all.
	offerMu    sync.Mutex
	quitSent   bool // the window was told to quit (by Quit, or Startup for an early Quit)
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
	// A quit asked for before the window existed (a signal while starting)
	// had no window to close: closed now, once (Quit may have found it meanwhile).
	s.mu.Lock()
	quitting := s.quitting && !s.quitSent
	s.quitSent = s.quitSent || quitting
	s.mu.Unlock()
	if quitting {
		s.log.Info().Msg("quit asked for while starting")
		win.Quit()
	}
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
	case client.EventSyncStatus:
		if st, ok := ev.Payload.(client.Status); ok && !st.SignedIn {
			s.signedOut()
		}
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
		batch, session := s.replies, s.session
		s.replies = nil
		s.mu.Unlock()
		for _, p := range batch {
			s.offer(p, session)
		}
	}
}

// signedOut drops the replies not yet shown (of the account that left: a
// note naming its contacts must not appear after), takes back the notes
// already on screen, and forgets the thread that was open.
func (s *Shell) signedOut() {
	s.offerMu.Lock()
	defer s.offerMu.Unlock()
	s.mu.Lock()
	s.session++
	s.replies, s.openThread = nil, ""
	if s.flushTimer != nil {
		s.flushTimer.Stop()
		s.flushTimer = nil
	}
	n := s.notifier
	s.mu.Unlock()
	if s.cfg.Policy != nil {
		s.cfg.Policy.Drop()
	}
	if n != nil {
		if err := n.WithdrawAll(); err != nil {
			s.log.Warn().Err(err).Msg("withdraw notifications at sign-out")
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
			// Starting, or the cache not opened (the client logs why,
			// once): no count is zero unread. Anything else is the cache
			// failing, shown as zero too, but not silently.
			if !errors.Is(err, client.ErrStarting) && !errors.Is(err, client.ErrUnopened) {
				s.log.Warn().Err(err).Msg("unread count")
			}
			counts = client.Counts{}
		}
		unread := counts[string(inbox.Unread)]
		s.mu.Lock()
		changed := unread != s.unread
		s.unread = unread
		s.mu.Unlock()
		if changed {
			s.log.Debug().Int("unread", unread).Msg("unread count")
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
		s.cfg.Policy.SetSettings(notify.Settings{Enabled: st.Notifications == prefs.NotifyOn, PausedUntil: st.PausedUntil, HideText: !st.ShowMessageText})
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

// InboxTarget is where navigate:inbox goes: a filter ("unread") of a
// campaign, or of the one on screen when CampaignID is "".
type InboxTarget struct {
	Filter     string `json:"filter"`
	CampaignID string `json:"campaignId,omitempty"`
}
