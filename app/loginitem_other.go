//go:build !linux && !darwin

package app

// loginEntryDir: the Windows shortcut is not read (StartsThis).
func loginEntryDir() string { return "" }

const loginEntryExt = ""
