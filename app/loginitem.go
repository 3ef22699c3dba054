package app

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/emersion/go-autostart"
)

// LoginItem registers this executable to start at login, hidden in the
// tray (--hidden): an XDG autostart entry on Linux, a shortcut in the
// Startup folder on Windows, a LaunchAgent on macOS.
func LoginItem(extraArgs ...string) (Autostart, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	item := &osLoginItem{App: autostart.App{
		Name:        "textbank",
		DisplayName: "Textbank",
		Exec:        append([]string{exe, "--hidden"}, extraArgs...),
		Icon:        "textbank",
	}, exe: exe}
	if dir := loginEntryDir(); dir != "" {
		item.entry = filepath.Join(dir, item.Name+loginEntryExt)
	}
	return item, nil
}

// osLoginItem is go-autostart's login item, which can tell whether its
// entry starts this executable (StartsThis).
type osLoginItem struct {
	autostart.App
	exe   string
	entry string // the entry's file where it is text (Linux, macOS), else ""
}

// StartsThis says whether the entry is there and names this executable.
// A shortcut (Windows) is not read: never so, which rewrites it.
func (a *osLoginItem) StartsThis() bool {
	if a.entry == "" {
		return false
	}
	raw, err := os.ReadFile(a.entry)
	return err == nil && bytes.Contains(raw, []byte(a.exe))
}

// RestoreLoginItem makes the login item, at start, what the volunteer
// chose (want, the saved setting). When on, an entry missing, or naming
// another executable, is written again: a Textbank moved (a macOS .app
// first run from Downloads, then dragged to Applications), or installed
// again elsewhere (another folder on Windows), would otherwise start the
// old one at login, or nothing. An entry that starts this one is left
// alone where that can be read (rewriting a LaunchAgent can make macOS
// announce it again). Off, an entry is left as it is.
func RestoreLoginItem(item Autostart, want bool) error {
	if item == nil || !want {
		return nil
	}
	if e, ok := item.(interface{ StartsThis() bool }); ok && e.StartsThis() {
		return nil
	}
	return item.Enable()
}
