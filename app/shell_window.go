package app

import (
	"context"
	"errors"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/notify"
	"github.com/textbank/textbank/backend/prefs"
)

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
// without one, or after Quit, the app quits. Where Wails hides on a close
// itself (macOS, CloseBehaviourFor), it is only ever a real quit (Cmd-Q,
// the Dock's Quit, a log out) and is allowed, as the tray's Quit is: Wails
// then ends its loop and OnShutdown stops sync and closes the cache.
func (s *Shell) BeforeClose(context.Context) (prevent bool) {
	s.mu.Lock()
	if s.cfg.Close.BeforeCloseQuits {
		// Wails is quitting already: a later Quit (a signal) need not ask again.
		s.quitting, s.quitSent = true, true
		s.mu.Unlock()
		return false
	}
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
	if s.quitSent {
		win = nil
	}
	s.quitSent = s.quitSent || win != nil
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
				win.Emit(EventNavigateInbox, InboxTarget{Filter: string(inbox.Unread)})
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
