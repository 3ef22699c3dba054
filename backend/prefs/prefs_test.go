package prefs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/prefs"
)

func TestFreshInstallHasDefaults(t *testing.T) {
	s := prefs.NewStore(filepath.Join(t.TempDir(), "Textbank", "settings.json"))
	got, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got != prefs.Defaults() || got.StartAtLogin {
		t.Fatalf("fresh settings %+v, want defaults with start at login off", got)
	}
}

// TestMessageTextShownUnlessTurnedOff: notifications show the contact's
// words, as before the setting, in a fresh install and in a file saved by
// an app without the setting.
func TestMessageTextShownUnlessTurnedOff(t *testing.T) {
	if !prefs.Defaults().ShowMessageText {
		t.Fatal("a fresh install hides the message text; want it shown")
	}
	path := filepath.Join(t.TempDir(), "settings.json")
	if err := os.WriteFile(path, []byte(`{"notifications":"on","sound":false,"theme":"dark","textSize":100}`), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := prefs.NewStore(path).Load()
	if err != nil || !got.ShowMessageText || got.Sound {
		t.Fatalf("an older file read as %+v, %v: want the text shown, the rest as saved", got, err)
	}
}

func TestSaveIsPrivateAndRoundTrips(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Textbank")
	s := prefs.NewStore(filepath.Join(dir, "settings.json"))
	saved, err := s.Update(func(st *prefs.Settings) {
		st.ServerURL = " https://tb.example.org/ "
		st.Theme = prefs.ThemeDark
		st.TextSize = 150
		st.StartAtLogin = true
	})
	if err != nil {
		t.Fatal(err)
	}
	if saved.ServerURL != "https://tb.example.org" {
		t.Fatalf("server address saved as %q", saved.ServerURL)
	}
	got, err := prefs.NewStore(s.Path()).Load()
	if err != nil || got != saved {
		t.Fatalf("reloaded %+v, %v; want %+v", got, err, saved)
	}
	for path, want := range map[string]os.FileMode{s.Path(): 0o600, dir: 0o700} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s mode %o, want %o", path, info.Mode().Perm(), want)
		}
	}
}

func TestBadValuesAreRefusedAndNothingChanges(t *testing.T) {
	s := prefs.NewStore(filepath.Join(t.TempDir(), "settings.json"))
	good, err := s.Update(func(st *prefs.Settings) { st.Theme = prefs.ThemeLight })
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(*prefs.Settings)
		word   string
	}{
		{"theme", func(st *prefs.Settings) { st.Theme = "neon" }, "theme"},
		{"text size", func(st *prefs.Settings) { st.TextSize = 400 }, "text size"},
		{"notifications", func(st *prefs.Settings) { st.Notifications = "loud" }, "notifications"},
		{"server scheme", func(st *prefs.Settings) { st.ServerURL = "ftp://x" }, "server address"},
		{"server no host", func(st *prefs.Settings) { st.ServerURL = "https://" }, "server address"},
		{"server in plain http", func(st *prefs.Settings) { st.ServerURL = "http://texts.example.org" }, "use https://"},
		{"server in plain http by address", func(st *prefs.Settings) { st.ServerURL = "http://192.168.1.20:8787" }, "unencrypted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Update(tc.change)
			if err == nil || !strings.Contains(err.Error(), tc.word) {
				t.Fatalf("err = %v, want one naming %q", err, tc.word)
			}
			got, err := s.Load()
			if err != nil || got != good {
				t.Fatalf("after a refused change: %+v, %v; want %+v", got, err, good)
			}
		})
	}
}

func TestUnreadableFileIsNamedAndReplaceable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	if err := os.WriteFile(path, []byte(`{"theme": 7`), 0o600); err != nil {
		t.Fatal(err)
	}
	s := prefs.NewStore(path)
	got, err := s.Load()
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want one naming %s", err, path)
	}
	if got != prefs.Defaults() {
		t.Fatalf("unreadable file gave %+v, want the defaults", got)
	}
	if _, err := s.Update(func(st *prefs.Settings) { st.Sound = false }); err != nil {
		t.Fatalf("could not replace an unreadable file: %v", err)
	}
	if got, err := s.Load(); err != nil || got.Sound {
		t.Fatalf("after replacing: %+v, %v", got, err)
	}
}

// FuzzLoad: whatever is in the settings file, Load returns valid settings
// (the defaults when the file is bad) and never panics.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"theme":"dark","textSize":150,"notifications":"off"}`))
	f.Add([]byte(`{"serverUrl":"ftp://x"}`))
	f.Add([]byte(`{"pausedUntil":"not a time"}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, raw []byte) {
		path := filepath.Join(t.TempDir(), "settings.json")
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		st, err := prefs.NewStore(path).Load()
		if verr := st.Validate(); verr != nil {
			t.Fatalf("Load gave invalid settings %+v (err %v): %v", st, err, verr)
		}
	})
}

// TestPlainHTTPOnlyToThisComputer: http:// is taken for a server on this
// computer (its traffic never leaves it); an address elsewhere must be
// https://. One saved by an older app still loads, and other settings can
// be changed beside it.
func TestPlainHTTPOnlyToThisComputer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	s := prefs.NewStore(path)
	for _, local := range []string{"http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787", "https://texts.example.org"} {
		if _, err := s.Update(func(st *prefs.Settings) { st.ServerURL = local }); err != nil {
			t.Fatalf("%s: %v", local, err)
		}
	}
	if err := os.WriteFile(path, []byte(`{"serverUrl": "http://old.example.org", "notifications": "on", "theme": "system", "textSize": 100}`), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load()
	if err != nil || got.ServerURL != "http://old.example.org" {
		t.Fatalf("an address saved by an older app: %+v, %v", got, err)
	}
	if got, err = s.Update(func(st *prefs.Settings) { st.Theme = prefs.ThemeDark }); err != nil || got.ServerURL != "http://old.example.org" {
		t.Fatalf("another setting beside it: %+v, %v", got, err)
	}
}

// TestSameServerEncrypted: only http:// turned into https:// on the same
// host and path counts as the same server (the cache and sign-in stay);
// any other change is another server.
func TestSameServerEncrypted(t *testing.T) {
	tests := []struct {
		was, now string
		want     bool
	}{
		{"http://texts.example.org", "https://texts.example.org", true},
		{"http://Texts.Example.org/", "https://texts.example.org", true},
		{"http://texts.example.org:80/tb", "https://texts.example.org/tb", true},
		{"http://texts.example.org:8787", "https://texts.example.org:8787", true},
		{"http://texts.example.org:8787", "https://texts.example.org", false},
		{"http://texts.example.org", "https://evil.example.org", false},
		{"http://texts.example.org/a", "https://texts.example.org/b", false},
		{"https://texts.example.org", "http://texts.example.org", false},
		{"https://texts.example.org", "https://texts.example.org", false}, // equal: the caller's own case
	}
	for _, tc := range tests {
		if got := prefs.SameServerEncrypted(tc.was, tc.now); got != tc.want {
			t.Errorf("SameServerEncrypted(%q, %q) = %v, want %v", tc.was, tc.now, got, tc.want)
		}
	}
}
