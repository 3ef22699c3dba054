package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/prefs"
	"github.com/textbank/textbank/backend/words"
)

// SettingsInfo is what the Settings screen shows but cannot change.
type SettingsInfo struct {
	Version string // this app's version
	// ActiveServer is the server this run talks to; ServerFromFlag: it was
	// given by --server or TEXTBANK_SERVER, which win over the setting;
	// ServerFromEnv: by TEXTBANK_SERVER (set on this computer, so it wins
	// at every start, not just this one).
	ActiveServer   string
	ServerFromFlag bool
	ServerFromEnv  bool
	// ServerRefused: ActiveServer is a plain http:// address to another
	// computer, saved by an older app, which this run does not connect
	// to; the sentence says what to do ("" when it is fine).
	ServerRefused string
	Demo          bool
	LogDir        string
	// TokenStorage says where the session token is kept: "keyring" or
	// "file" (no keyring answered); nil when unknown.
	TokenStorage func() string
	// Started is when the process began; Ready logs the time since.
	Started time.Time
}

// SettingsView is the Settings screen's data.
type SettingsView struct {
	prefs.Settings
	Version        string `json:"version"`
	ActiveServer   string `json:"activeServer"`
	ServerFromFlag bool   `json:"serverFromFlag"`
	// ServerFromEnv: the address comes from TEXTBANK_SERVER; the screen
	// shows it read-only and SetServerURL refuses (see there).
	ServerFromEnv bool `json:"serverFromEnv"`
	// ServerRefused: see SettingsInfo.ServerRefused.
	ServerRefused string `json:"serverRefused"`
	// RestartNeeded: the saved server address differs from the one in use;
	// it takes effect at the next start (and clears the local cache then).
	RestartNeeded bool `json:"restartNeeded"`
	// RestartKeepsCache: the saved address is the one in use moved from
	// http:// to https://, which the next start takes for the same server
	// (prefs.SameServerEncrypted): the conversations and unsent changes
	// stay, and the screen must not say they are reloaded.
	RestartKeepsCache bool `json:"restartKeepsCache"`
	// TokenStorage: "keyring" or "file" ("Your sign-in is kept in a file
	// only you can read: no keyring answered").
	TokenStorage  string `json:"tokenStorage"`
	TrayAvailable bool   `json:"trayAvailable"`
	Demo          bool   `json:"demo"`
	// SoundSetIn: where this system's own setting for a notification's
	// sound is; the screen names it instead of showing a "Play a sound"
	// switch that could not work ("" where it works; NotificationSoundSetIn).
	SoundSetIn string `json:"soundSetIn"`
}

// Settings is the bound service behind the Settings screen.
type Settings struct {
	shell     *Shell
	info      SettingsInfo
	autostart Autostart
	goos      string // runtime.GOOS; tests set another
	readyOnce sync.Once
}

// NewSettings builds the service; autostart may be nil (not supported).
func NewSettings(shell *Shell, info SettingsInfo, autostart Autostart) *Settings {
	return &Settings{shell: shell, info: info, autostart: autostart, goos: runtime.GOOS}
}

// Get returns the settings and what the screen shows beside them.
func (s *Settings) Get() (SettingsView, error) {
	st, err := s.shell.loadPrefs()
	if err != nil {
		// The defaults are shown; the next change rewrites the file.
		s.shell.log.Warn().Err(err).Msg("settings unreadable")
	}
	return s.view(st), nil
}

func (s *Settings) view(st prefs.Settings) SettingsView {
	v := SettingsView{
		Settings: st, Version: s.info.Version, ActiveServer: s.info.ActiveServer,
		ServerFromFlag: s.info.ServerFromFlag, ServerFromEnv: s.info.ServerFromEnv, ServerRefused: s.info.ServerRefused, Demo: s.info.Demo,
		TrayAvailable: s.shell.cfg.Tray != nil && s.shell.cfg.Tray.Present(),
		SoundSetIn:    NotificationSoundSetIn(s.goos),
	}
	v.RestartNeeded = !s.info.ServerFromFlag && !s.info.Demo && st.ServerURL != "" && st.ServerURL != s.info.ActiveServer
	v.RestartKeepsCache = v.RestartNeeded && prefs.SameServerEncrypted(s.info.ActiveServer, st.ServerURL)
	if s.info.TokenStorage != nil {
		v.TokenStorage = s.info.TokenStorage()
	}
	return v
}

// update saves a change; op names the bound call, for the log.
func (s *Settings) update(op string, change func(*prefs.Settings)) (SettingsView, error) {
	st, err := s.shell.UpdatePrefs(change)
	if err != nil {
		return SettingsView{}, s.said(op, err)
	}
	return s.view(st), nil
}

// said: see the function; the Settings screen's calls are logged by the
// shell's logger.
func (s *Settings) said(op string, err error) error { return said(s.shell.log, op, err) }

// SetServerURL saves the campaign server's address (used from the next
// start); "" returns to the default.
//
// While TEXTBANK_SERVER names the server it wins at every start, so an
// address saved here would never be used: it is refused, nothing stored,
// rather than saved to no effect (the screen shows the field read-only
// and says why).
func (s *Settings) SetServerURL(url string) (SettingsView, error) {
	if s.info.ServerFromEnv {
		return SettingsView{}, errServerFromEnv
	}
	return s.update("Settings.SetServerURL", func(p *prefs.Settings) { p.ServerURL = url })
}

// errServerFromEnv is what saving an address says while TEXTBANK_SERVER
// names the server.
var errServerFromEnv = words.New("the server address comes from the TEXTBANK_SERVER setting on this computer, " +
	"so an address saved here would not be used: remove TEXTBANK_SERVER and restart Textbank to use another address")

// SetStartAtLogin registers (or removes) Textbank as a login item; it then
// starts hidden in the tray and keeps syncing.
func (s *Settings) SetStartAtLogin(on bool) (SettingsView, error) {
	if s.info.Demo {
		return SettingsView{}, errDemoAtLogin
	}
	if s.autostart == nil {
		return SettingsView{}, words.New("starting at login is not available on this computer")
	}
	if on {
		if err := s.autostart.Enable(); err != nil {
			return SettingsView{}, s.said("Settings.SetStartAtLogin", &words.Error{Words: "could not set Textbank to start at login", Err: err})
		}
	} else if s.autostart.IsEnabled() {
		if err := s.autostart.Disable(); err != nil {
			return SettingsView{}, s.said("Settings.SetStartAtLogin", &words.Error{Words: "could not stop Textbank starting at login", Err: err})
		}
	}
	return s.update("Settings.SetStartAtLogin", func(p *prefs.Settings) { p.StartAtLogin = on })
}

// errDemoAtLogin is what the demo says to Start at login (its Settings
// shows the switch off, with these words): it keeps nothing once it quits,
// so started at login it would only begin again clean.
var errDemoAtLogin = words.New("the demo does not start at login: it keeps nothing once it quits")

// SetNotifications turns reply notifications on or off (on also ends a
// pause).
func (s *Settings) SetNotifications(on bool) (SettingsView, error) {
	return s.update("Settings.SetNotifications", func(p *prefs.Settings) {
		p.Notifications, p.PausedUntil = prefs.NotifyOff, time.Time{}
		if on {
			p.Notifications = prefs.NotifyOn
		}
	})
}

// PauseNotifications pauses them: "hour", "tomorrow" (until 8:00) or "off".
func (s *Settings) PauseNotifications(choice string) (SettingsView, error) {
	st, err := s.shell.Pause(choice)
	if err != nil {
		return SettingsView{}, s.said("Settings.PauseNotifications", err)
	}
	return s.view(st), nil
}

// ResumeNotifications ends a pause.
func (s *Settings) ResumeNotifications() (SettingsView, error) {
	st, err := s.shell.Resume()
	if err != nil {
		return SettingsView{}, s.said("Settings.ResumeNotifications", err)
	}
	return s.view(st), nil
}

// SetSound chooses whether notifications play the message sound.
func (s *Settings) SetSound(on bool) (SettingsView, error) {
	return s.update("Settings.SetSound", func(p *prefs.Settings) { p.Sound = on })
}

// SetShowMessageText chooses whether a reply's notification shows the
// contact's words, or only who replied.
func (s *Settings) SetShowMessageText(on bool) (SettingsView, error) {
	return s.update("Settings.SetShowMessageText", func(p *prefs.Settings) { p.ShowMessageText = on })
}

// SetTheme: "system", "light" or "dark".
func (s *Settings) SetTheme(theme string) (SettingsView, error) {
	return s.update("Settings.SetTheme", func(p *prefs.Settings) { p.Theme = theme })
}

// SetTextSize: percent of the default size, 75-200.
func (s *Settings) SetTextSize(percent int) (SettingsView, error) {
	return s.update("Settings.SetTextSize", func(p *prefs.Settings) { p.TextSize = percent })
}

// ShowLogs opens the folder holding the app's logs in the file manager.
func (s *Settings) ShowLogs() error {
	cmd := folderOpener(s.info.LogDir)
	if err := cmd.Start(); err != nil {
		return s.said("Settings.ShowLogs", &words.Error{Words: "could not open the log folder " + s.info.LogDir, Err: err})
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// ServerVersion asks the campaign server which version it runs; "" when it
// does not say (older servers). A refused address is not asked: nothing
// goes to it in the clear. The answer is short, since About shows it after
// "version unknown:" (About ends the sentence) and the full sentence is
// already under the address.
func (s *Settings) ServerVersion() (string, error) {
	if s.info.ServerRefused != "" {
		return "", words.New("not asked, as Textbank does not connect to this address (see Server address above)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(s.info.ActiveServer, "/")+api.PathHealth, nil)
	if err != nil {
		return "", s.said("Settings.ServerVersion", &words.Error{Words: fmt.Sprintf("server address %q is not a web address", s.info.ActiveServer), Err: err})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		// Offline is normal, not a fault: told, not logged as an error.
		s.shell.log.Info().Err(err).Msg("server version not asked: server unreachable")
		return "", words.New("can't reach the campaign server")
	}
	defer resp.Body.Close()
	var body api.Health
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return "", s.said("Settings.ServerVersion", &words.Error{Words: "the campaign server's answer was not understood", Err: err})
	}
	return body.Version, nil
}

// Ready is called by the window once the first screen (the cached inbox)
// is painted and takes input; it logs the marker the start-up benchmark
// waits for. rows is how many conversations were on screen (the bench
// checks it is the inbox, not an empty page); scriptMS and pageMS are on
// the window's own clock (performance.now(): since the page began loading):
// when its script began to run (the bundle loaded and parsed) and now. They
// split the start into the process's part, loading the page and rendering.
func (s *Settings) Ready(rows int, scriptMS, pageMS float64) {
	s.readyOnce.Do(func() {
		ev := s.shell.log.Info().Str("marker", "ui-ready").Int("rows", rows).
			Int64("script_ms", int64(scriptMS)).Int64("page_ms", int64(pageMS))
		if !s.info.Started.IsZero() {
			ev = ev.Int64("since_start_ms", time.Since(s.info.Started).Milliseconds())
		}
		ev.Msg("first screen ready")
	})
}
