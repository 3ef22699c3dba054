package app

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/prefs"
	"github.com/textbank/textbank/backend/server/demo"
)

type fakeAutostart struct {
	on   bool
	fail bool
}

func (a *fakeAutostart) Enable() error {
	if a.fail {
		return errors.New("read-only home")
	}
	a.on = true
	return nil
}
func (a *fakeAutostart) Disable() error  { a.on = false; return nil }
func (a *fakeAutostart) IsEnabled() bool { return a.on }

func TestStartAtLogin(t *testing.T) {
	r := newRig(t, true)
	login := &fakeAutostart{}
	s := NewSettings(r.shell, SettingsInfo{Version: "1.2.3", ActiveServer: "https://a.example.org"}, login)
	v, err := s.Get()
	if err != nil || v.StartAtLogin || v.Version != "1.2.3" || !v.TrayAvailable {
		t.Fatalf("fresh settings %+v, %v: want start at login off, the version, a tray", v, err)
	}
	if v, err = s.SetStartAtLogin(true); err != nil || !v.StartAtLogin || !login.on {
		t.Fatalf("turning on: %+v, %v, registered %v", v, err, login.on)
	}
	if v, err = s.SetStartAtLogin(false); err != nil || v.StartAtLogin || login.on {
		t.Fatalf("turning off: %+v, %v, registered %v", v, err, login.on)
	}
	login.fail = true
	if _, err := s.SetStartAtLogin(true); err == nil || !strings.Contains(err.Error(), "start at login") {
		t.Fatalf("a failed registration: %v", err)
	}
	if v, _ := s.Get(); v.StartAtLogin {
		t.Fatal("the setting says on although registering failed")
	}
}

// The demo keeps nothing once it quits: it says so rather than "not available on this computer",
// and registers nothing even were a login item at hand.
func TestDemoDoesNotStartAtLogin(t *testing.T) {
	r := newRig(t, true)
	login := &fakeAutostart{}
	s := NewSettings(r.shell, SettingsInfo{Demo: true}, login)
	if _, err := s.SetStartAtLogin(true); err == nil || err.Error() != "the demo does not start at login: it keeps nothing once it quits" {
		t.Fatalf("the demo turning start at login on: %v", err)
	}
	if v, err := s.Get(); err != nil || v.StartAtLogin || login.on {
		t.Fatalf("after the refusal: %+v, %v, registered %v", v, err, login.on)
	}
}

func TestSettingsRefuseBadValuesAndKeepTheFile(t *testing.T) {
	r := newRig(t, true)
	s := NewSettings(r.shell, SettingsInfo{ActiveServer: "https://a.example.org"}, nil)
	if _, err := s.SetTheme("dark"); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"theme":     func() error { _, err := s.SetTheme("sepia"); return err },
		"text size": func() error { _, err := s.SetTextSize(20); return err },
		"server":    func() error { _, err := s.SetServerURL("textbank.example.org"); return err },
		"pause":     func() error { _, err := s.PauseNotifications("a while"); return err },
		"login":     func() error { _, err := s.SetStartAtLogin(true); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s: a bad value was accepted", name)
		}
	}
	v, _ := s.Get()
	if v.Theme != "dark" || v.TextSize != 100 || v.ServerURL != "" {
		t.Fatalf("after refused changes: %+v", v)
	}
}

func TestServerChangeNeedsRestart(t *testing.T) {
	r := newRig(t, true)
	s := NewSettings(r.shell, SettingsInfo{ActiveServer: "https://a.example.org", TokenStorage: func() string { return "file" }}, nil)
	v, err := s.SetServerURL("https://b.example.org/")
	if err != nil || !v.RestartNeeded || v.ServerURL != "https://b.example.org" || v.TokenStorage != "file" {
		t.Fatalf("%+v, %v", v, err)
	}
	if v, _ := s.SetServerURL("https://a.example.org"); v.RestartNeeded {
		t.Fatal("the server in use needs no restart")
	}
	if v.RestartKeepsCache {
		t.Fatal("another server's address said to keep the conversations")
	}
}

// TestServerFromEnvIsNotSavedOver: while TEXTBANK_SERVER names the server
// (it wins at every start), Settings reports so, and saving another
// address is refused naming the variable, the saved address left as it
// was, rather than stored to no effect.
func TestServerFromEnvIsNotSavedOver(t *testing.T) {
	r := newRig(t, true)
	if _, err := r.shell.UpdatePrefs(func(p *prefs.Settings) { p.ServerURL = "https://saved.example.org" }); err != nil {
		t.Fatal(err)
	}
	s := NewSettings(r.shell, SettingsInfo{ActiveServer: "https://env.example.org", ServerFromFlag: true, ServerFromEnv: true}, nil)
	v, err := s.Get()
	if err != nil || !v.ServerFromEnv || !v.ServerFromFlag || v.RestartNeeded || v.ActiveServer != "https://env.example.org" {
		t.Fatalf("Get() = %+v, %v; want it to report the address from TEXTBANK_SERVER, no restart", v, err)
	}
	_, err = s.SetServerURL("https://other.example.org")
	if err == nil || !strings.Contains(err.Error(), "TEXTBANK_SERVER") || !strings.Contains(err.Error(), "remove") {
		t.Fatalf("saving an address under TEXTBANK_SERVER: %v; want a refusal saying to remove TEXTBANK_SERVER", err)
	}
	if v, _ := s.Get(); v.ServerURL != "https://saved.example.org" {
		t.Fatalf("saved address after the refusal: %q; want it unchanged", v.ServerURL)
	}
	// A typed --server is for this run only: an address saved beside it
	// is used at the next start without it, so saving works.
	typed := NewSettings(r.shell, SettingsInfo{ActiveServer: "https://typed.example.org", ServerFromFlag: true}, nil)
	if v, err := typed.SetServerURL("https://other.example.org"); err != nil || v.ServerFromEnv || v.ServerURL != "https://other.example.org" {
		t.Fatalf("saving beside a typed --server: %+v, %v", v, err)
	}
}

// TestMovingToHTTPSKeepsTheCache: the old plain http:// address in use
// moved to https:// on the same host needs a restart that keeps the
// conversations (the next start takes it for the same server).
func TestMovingToHTTPSKeepsTheCache(t *testing.T) {
	r := newRig(t, true)
	s := NewSettings(r.shell, SettingsInfo{ActiveServer: "http://old.example.org", ServerRefused: "use https://"}, nil)
	v, err := s.SetServerURL("https://old.example.org")
	if err != nil || !v.RestartNeeded || !v.RestartKeepsCache || v.ServerRefused != "use https://" {
		t.Fatalf("%+v, %v", v, err)
	}
}

func TestNotificationsOffAndOn(t *testing.T) {
	r := newRig(t, true)
	s := NewSettings(r.shell, SettingsInfo{}, nil)
	if v, err := s.SetNotifications(false); err != nil || v.Notifications != prefs.NotifyOff {
		t.Fatalf("%+v %v", v, err)
	}
	if st := r.tray.State(); st.Paused != "Notifications off" {
		t.Fatalf("tray: %+v", st)
	}
	if v, err := s.SetNotifications(true); err != nil || v.Notifications != prefs.NotifyOn {
		t.Fatalf("%+v %v", v, err)
	}
}

// The real login item (go-autostart) writes an XDG autostart entry that
// starts Textbank hidden. go-autostart reads XDG_CONFIG_HOME when the
// process starts, so this runs the test binary again with it set.
func TestLoginItemWritesAutostartEntry(t *testing.T) {
	if os.Getenv("TEXTBANK_AUTOSTART_CHILD") == "1" {
		item, err := LoginItem()
		if err != nil {
			t.Fatal(err)
		}
		if err := item.Enable(); err != nil {
			t.Fatal(err)
		}
		if !item.IsEnabled() {
			t.Fatal("not enabled after Enable")
		}
		if e, ok := item.(interface{ StartsThis() bool }); !ok || !e.StartsThis() {
			t.Fatal("the entry written does not start this executable")
		}
		return
	}
	if os.Getenv("GOOS") != "" && os.Getenv("GOOS") != "linux" {
		t.Skip("XDG autostart is Linux's")
	}
	home := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestLoginItemWritesAutostartEntry$")
	cmd.Env = append(os.Environ(), "TEXTBANK_AUTOSTART_CHILD=1", "XDG_CONFIG_HOME="+home)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(home, "autostart", "textbank.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "--hidden") || !strings.Contains(string(raw), "Name=Textbank") {
		t.Fatalf("autostart entry:\n%s", raw)
	}
}

// TestServerVersionFromHealthz asks a real (demo) campaign server.
func TestServerVersionFromHealthz(t *testing.T) {
	ctx := context.Background()
	inst, err := demo.Start(ctx, demo.Options{Dir: t.TempDir(), Log: zerolog.Nop(), BcryptCost: bcrypt.MinCost, Version: "4.5.6"})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	s := NewSettings(nil, SettingsInfo{ActiveServer: inst.URL + "/"}, nil)
	if v, err := s.ServerVersion(); err != nil || v != "4.5.6" {
		t.Fatalf("ServerVersion() = %q, %v; want 4.5.6", v, err)
	}
}

// TestServerVersionOfARefusedAddressAsksNothing: Settings opened with a
// refused address (plain http:// to another computer) does not send its
// version check there, and says it did not ask.
func TestServerVersionOfARefusedAddressAsksNothing(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	const why = "Textbank no longer connects to this address."
	s := NewSettings(nil, SettingsInfo{ActiveServer: srv.URL, ServerRefused: why}, nil)
	if _, err := s.ServerVersion(); err == nil || !strings.Contains(err.Error(), "not asked") {
		t.Fatalf("ServerVersion() error %v; want it to say it was not asked", err)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the refused address got %d requests; want none", n)
	}
}

// Where the sound cannot be chosen by the app (Wails' notifications on macOS
// and Windows take none), the screen is told where the system's setting is
// instead; on Linux the switch works and nothing is named.
func TestSoundSetInNamesTheSystemSetting(t *testing.T) {
	for _, c := range []struct{ goos, want string }{
		{"linux", ""},
		{"darwin", "System Settings > Notifications > Textbank"},
		{"windows", "Settings > System > Notifications > Textbank"},
		{"freebsd", ""},
	} {
		r := newRig(t, true)
		s := NewSettings(r.shell, SettingsInfo{}, nil)
		s.goos = c.goos
		if v, err := s.Get(); err != nil || v.SoundSetIn != c.want {
			t.Errorf("%s: soundSetIn %q, %v; want %q", c.goos, v.SoundSetIn, err, c.want)
		}
		if v, err := s.SetSound(false); err != nil || v.SoundSetIn != c.want {
			t.Errorf("%s after a change: soundSetIn %q, %v; want %q", c.goos, v.SoundSetIn, err, c.want)
		}
	}
}
