package app

import (
	"os"
	"path/filepath"
	"testing"
)

// movingAutostart is a login item whose entry names an executable: Enable
// writes this one's (exe).
type movingAutostart struct{ entry, exe string }

func (a *movingAutostart) Enable() error   { a.entry = a.exe; return nil }
func (a *movingAutostart) Disable() error  { a.entry = ""; return nil }
func (a *movingAutostart) IsEnabled() bool { return a.entry != "" }

// A Textbank installed again in another folder (Windows), or whose .app
// was moved (macOS), found its login entry there and kept it: at login the
// old executable started, or nothing did. The entry is written again for
// this one at every start.
func TestRestoreLoginItemNamesThisExecutable(t *testing.T) {
	item := &movingAutostart{entry: `C:\Users\José\AppData\Local\Programs\Textbank-0.9\textbank.exe`, exe: `C:\Program Files\Textbank\textbank.exe`}
	if err := RestoreLoginItem(item, true); err != nil {
		t.Fatal(err)
	}
	if item.entry != item.exe {
		t.Errorf("the login item starts %s, want this executable %s", item.entry, item.exe)
	}
	gone := &movingAutostart{exe: item.exe}
	if err := RestoreLoginItem(gone, true); err != nil || gone.entry != gone.exe {
		t.Errorf("a removed entry: %q (%v), want it back", gone.entry, err)
	}
	// Off, an entry made elsewhere is not the setting's to remove.
	other := &movingAutostart{entry: item.entry, exe: item.exe}
	if err := RestoreLoginItem(other, false); err != nil || other.entry != item.entry {
		t.Errorf("start at login off changed the entry to %q (%v)", other.entry, err)
	}
	if err := RestoreLoginItem(nil, true); err != nil {
		t.Errorf("no login item on this computer: %v", err)
	}
}

// readableAutostart is a login item whose entry can be read (Linux, macOS).
type readableAutostart struct {
	movingAutostart
	rewrites int
}

func (a *readableAutostart) Enable() error    { a.rewrites++; return a.movingAutostart.Enable() }
func (a *readableAutostart) StartsThis() bool { return a.entry == a.exe }

// An entry that starts this executable is not written again (a LaunchAgent
// rewritten can make macOS announce a background item again); one that
// names another, or is gone, is.
func TestRestoreLoginItemLeavesACurrentEntry(t *testing.T) {
	exe := "/Applications/Textbank.app/Contents/MacOS/Textbank"
	current := &readableAutostart{movingAutostart: movingAutostart{entry: exe, exe: exe}}
	if err := RestoreLoginItem(current, true); err != nil || current.rewrites != 0 {
		t.Errorf("an entry starting this executable was rewritten %d times (%v)", current.rewrites, err)
	}
	moved := &readableAutostart{movingAutostart: movingAutostart{entry: "/Users/zoë/Downloads/Textbank.app/Contents/MacOS/Textbank", exe: exe}}
	if err := RestoreLoginItem(moved, true); err != nil || moved.entry != exe {
		t.Errorf("an entry naming the .app where it was: %q (%v), want %q", moved.entry, err, exe)
	}
}

// osLoginItem reads its entry for the executable's path.
func TestLoginItemStartsThis(t *testing.T) {
	dir := t.TempDir()
	exe := "/home/zoë/Apps/textbank"
	entry := filepath.Join(dir, "textbank.desktop")
	item := &osLoginItem{exe: exe, entry: entry}
	if item.StartsThis() {
		t.Error("no entry starts this executable")
	}
	for raw, want := range map[string]bool{
		"[Desktop Entry]\nExec=\"" + exe + "\" \"--hidden\"\n":       true,
		"[Desktop Entry]\nExec=\"/usr/bin/textbank\" \"--hidden\"\n": false,
	} {
		if err := os.WriteFile(entry, []byte(raw), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := item.StartsThis(); got != want {
			t.Errorf("StartsThis with %q = %t, want %t", raw, got, want)
		}
	}
	if (&osLoginItem{exe: exe}).StartsThis() {
		t.Error("a shortcut that is not read (Windows) starts this executable")
	}
}
