//go:build windows

package app

// fyne.io/systray on Windows loads the icon with LoadImage(IMAGE_ICON), so
// it must be an .ico, and its SetTitle does nothing: the unread count goes
// on the icon as a badge (trayicon.go).
const trayIconStyleHere = trayIconICOBadge
