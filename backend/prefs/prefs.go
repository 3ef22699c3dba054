// Package prefs keeps the volunteer's desktop settings in a JSON file in
// their own config dir, readable by them alone (file 0600, dir 0700).
// Anything the server must know (Automatic Archive) lives on the server;
// this file holds only what belongs to this computer.
package prefs

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/words"
)

// Notification modes.
const (
	NotifyOn  = "on"
	NotifyOff = "off"
)

// Themes.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// Text size bounds, in percent of the default.
const (
	MinTextSize = 75
	MaxTextSize = 200
)

// Settings are the desktop settings. JSON names are what the window sees.
type Settings struct {
	// ServerURL is the campaign server; "" means the built-in default (or
	// --server / TEXTBANK_SERVER, which win).
	ServerURL    string `json:"serverUrl"`
	StartAtLogin bool   `json:"startAtLogin"`
	// Notifications is "on" or "off"; PausedUntil silences them until then.
	Notifications string    `json:"notifications"`
	PausedUntil   time.Time `json:"pausedUntil"`
	Sound         bool      `json:"sound"`
	// ShowMessageText: a reply's notification shows the contact's words;
	// off, it says who replied but not what, as a lock screen shows
	// notifications to whoever passes.
	ShowMessageText bool   `json:"showMessageText"`
	Theme           string `json:"theme"`    // "system", "light" or "dark"
	TextSize        int    `json:"textSize"` // percent, 75-200
	// TrayHintShown: the "Textbank is still running in the tray" notice
	// has been given once.
	TrayHintShown bool `json:"trayHintShown"`
}

// Defaults are the settings of a fresh install.
func Defaults() Settings {
	return Settings{Notifications: NotifyOn, Sound: true, ShowMessageText: true, Theme: ThemeSystem, TextSize: 100}
}

// Validate names the first bad field.
func (s Settings) Validate() error {
	if s.ServerURL != "" {
		u, err := url.Parse(s.ServerURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return words.Errorf("server address %q: give a web address such as https://textbank.example.org", s.ServerURL)
		}
	}
	switch s.Notifications {
	case NotifyOn, NotifyOff:
	default:
		return words.Errorf("notifications %q: choose %q or %q", s.Notifications, NotifyOn, NotifyOff)
	}
	switch s.Theme {
	case ThemeSystem, ThemeLight, ThemeDark:
	default:
		return words.Errorf("theme %q: choose %q, %q or %q", s.Theme, ThemeSystem, ThemeLight, ThemeDark)
	}
	if s.TextSize < MinTextSize || s.TextSize > MaxTextSize {
		return words.Errorf("text size %d%%: choose between %d%% and %d%%", s.TextSize, MinTextSize, MaxTextSize)
	}
	return nil
}

// Store reads and writes the settings file. Safe for concurrent use.
type Store struct {
	path string
	mu   sync.Mutex
}

// NewStore keeps settings at path (e.g. <config dir>/Textbank/settings.json).
func NewStore(path string) *Store { return &Store{path: path} }

// Path is where the settings live.
func (s *Store) Path() string { return s.path }

// Load returns the saved settings, or the defaults when none were saved. A
// file that cannot be read is an error naming it; the caller decides
// whether to go on with the defaults.
func (s *Store) Load() (Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loadLocked()
}

func (s *Store) loadLocked() (Settings, error) {
	raw, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return Defaults(), nil
	}
	if err != nil {
		return Defaults(), fmt.Errorf("read settings %s: %w", s.path, err)
	}
	st := Defaults()
	if err := json.Unmarshal(raw, &st); err != nil {
		return Defaults(), fmt.Errorf("read settings %s: %w", s.path, err)
	}
	if err := st.Validate(); err != nil {
		return Defaults(), fmt.Errorf("settings %s: %w", s.path, err)
	}
	return st, nil
}

// Encrypted refuses a server address in plain http:// unless it names
// this computer: the password, the session token and every conversation
// would cross the network unencrypted, readable by anyone on the café's
// Wi-Fi. The one home of the rule: Settings (a new address), --server and
// TEXTBANK_SERVER (main.go) and an address saved by an older app version
// (checked at start, main.go) all ask it.
func Encrypted(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return nil
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); (err == nil && ip.IsLoopback()) || strings.EqualFold(host, "localhost") {
		return nil
	}
	return words.Errorf("server address %q: use https://; over http:// your password and your conversations "+
		"would cross the network unencrypted (http:// is only for a server on this computer)", raw)
}

// SameServerEncrypted says whether now is was with only http:// turned
// into https:// (same host and path; the default ports count as the
// same): the volunteer who follows the advice to move an old http://
// address to https:// keeps their sign-in, inbox and unsent changes,
// where any other change of address starts from an empty cache.
func SameServerEncrypted(was, now string) bool {
	a, errA := url.Parse(was)
	b, errB := url.Parse(now)
	if errA != nil || errB != nil || a.Scheme != "http" || b.Scheme != "https" {
		return false
	}
	if !strings.EqualFold(a.Hostname(), b.Hostname()) || strings.TrimRight(a.Path, "/") != strings.TrimRight(b.Path, "/") {
		return false
	}
	pa, pb := a.Port(), b.Port()
	return pa == pb || ((pa == "" || pa == "80") && (pb == "" || pb == "443"))
}

// Update applies change to the current settings and saves the result; a
// change that leaves them invalid is refused and nothing is written.
func (s *Store) Update(change func(*Settings)) (Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.loadLocked()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		// An unreadable file is replaced by the defaults plus this change,
		// rather than leaving the volunteer unable to change anything.
		st = Defaults()
	}
	was := st.ServerURL
	change(&st)
	st.ServerURL = strings.TrimRight(strings.TrimSpace(st.ServerURL), "/")
	if err := st.Validate(); err != nil {
		return Settings{}, err
	}
	// Checked when the address changes only: one saved by an older app
	// still loads, and other settings can still be changed beside it.
	if st.ServerURL != was {
		if err := Encrypted(st.ServerURL); err != nil {
			return Settings{}, err
		}
	}
	if err := s.writeLocked(st); err != nil {
		return Settings{}, err
	}
	return st, nil
}

func (s *Store) writeLocked(st Settings) error {
	raw, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create settings dir %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".settings-*") // created 0600
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return fmt.Errorf("save settings: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}
