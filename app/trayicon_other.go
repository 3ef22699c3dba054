//go:build !windows && !linux

package app

// fyne.io/systray on macOS takes PNG bytes and shows the tray title (the
// unread count) beside the icon in the menu bar.
const trayIconStyleHere = trayIconPNGTitle
