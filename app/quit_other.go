//go:build !linux

package app

// QuitOnMainLoop: on Windows and macOS Wails ends its loop on the right
// thread itself; false lets it.
func QuitOnMainLoop() bool { return false }
