//go:build linux

package app

// fyne.io/systray on Linux takes PNG bytes; panels do not show its title,
// so the unread count is a badge on the icon (trayicon.go).
const trayIconStyleHere = trayIconPNGBadge
