package app

import (
	"os/exec"
	"syscall"
)

// folderOpener is the command that shows dir in the file manager: File
// Explorer, given its command line whole (explorerCommandLine).
func folderOpener(dir string) *exec.Cmd {
	cmd := exec.Command("explorer")
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: explorerCommandLine(dir)}
	return cmd
}
