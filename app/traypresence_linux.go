package app

import "github.com/godbus/dbus/v5"

// TrayHostPresent says whether a StatusNotifierWatcher (the tray of KDE,
// GNOME with AppIndicator, XFCE, Cinnamon...) is on the session bus.
func TrayHostPresent() bool {
	conn, err := dbus.SessionBus()
	if err != nil {
		return false
	}
	var has bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has)
	return err == nil && has
}
