//go:build !linux

package app

// TrayHostPresent: Windows and macOS always have a notification area / menu
// bar.
func TrayHostPresent() bool { return true }
