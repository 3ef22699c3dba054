//go:build !windows

package app

import (
	"os/exec"
	"runtime"
)

// folderOpener is the command that shows dir in the file manager: the
// Finder on macOS, the desktop's own (xdg-open) elsewhere.
func folderOpener(dir string) *exec.Cmd {
	if runtime.GOOS == "darwin" {
		return exec.Command("open", dir)
	}
	return exec.Command("xdg-open", dir)
}
