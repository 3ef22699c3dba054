package app

import (
	"os"
	"path/filepath"
)

// loginEntryDir is where go-autostart writes the LaunchAgent.
func loginEntryDir() string { return filepath.Join(os.Getenv("HOME"), "Library", "LaunchAgents") }

const loginEntryExt = ".plist"
