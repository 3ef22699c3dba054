//go:build !windows

package app

// fyne.io/systray on Linux and macOS takes PNG bytes and shows the tray
// title (the unread count) beside the icon.
const trayIconStyleHere = trayIconPNGTitle
