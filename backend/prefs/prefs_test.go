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
