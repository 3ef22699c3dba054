package app

import (
	"os"
	"path/filepath"
)

// loginEntryDir is where go-autostart writes the XDG autostart entry.
func loginEntryDir() string {
	base := os.Getenv("XDG_CONFIG_HOME")
	if base == "" {
		base = filepath.Join(os.Getenv("HOME"), ".config")
	}
	return filepath.Join(base, "autostart")
}

const loginEntryExt = ".desktop"
