package app

import (
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/prefs"
)

// Tray is the icon in the system tray (the notification area on Windows,
// the menu bar on macOS, a StatusNotifierItem on Linux). The shell decides
// what it shows (TrayState) and the tray only draws it, so the model is
// tested without a desktop.
type Tray interface {
	// Present says whether a tray host is there to show the icon right now
	// (a Linux desktop may have none); without one, closing the window
	// quits rather than hiding Textbank where nobody can find it.
	Present() bool
	Render(TrayState)
	Close()
}

// TrayActions are what the tray menu can ask for.
type TrayActions struct {
	Open       func()              // Open Textbank
	OpenUnread func()              // "N unread replies"
	Pause      func(choice string) // "hour", "tomorrow" or "off"
	Resume     func()
	Quit       func()
}

// TrayState is everything the tray shows.
type TrayState struct {
	Unread  int
	Tooltip string // "Textbank: 3 unread replies"
	// Title is shown beside the icon where the platform does (the macOS
	// menu bar): the unread count, or "" when none. Linux and Windows
	// draw the count on the icon instead (trayicon.go).
	Title      string
	UnreadItem string // the menu line: "3 unread replies"
	// Paused describes the pause ("Paused until 20:15", "Notifications
	// off") or is "" when notifications are on; the Resume item shows
	// only then.
	Paused string
}

// trayState words the tray for an unread count and the settings.
func trayState(unread int, s prefs.Settings, now time.Time) TrayState {
	st := TrayState{Unread: unread, UnreadItem: unreadWords(unread)}
	st.Tooltip = "Textbank: " + st.UnreadItem
	if unread > 0 {
		st.Title = fmt.Sprint(unread)
	}
	switch {
	case s.Notifications == prefs.NotifyOff:
		st.Paused = "Notifications off"
	case now.Before(s.PausedUntil):
		st.Paused = "Paused until " + pauseEnd(now, s.PausedUntil)
	}
	if st.Paused != "" {
		st.Tooltip += " (" + lowerFirst(st.Paused) + ")"
	}
	return st
}

func unreadWords(n int) string {
	switch n {
	case 0:
		return "No unread replies"
	case 1:
		return "1 unread reply"
	}
	return fmt.Sprintf("%d unread replies", n)
}

// pauseEnd says when a pause ends: a time today, or "tomorrow 08:00".
func pauseEnd(now, until time.Time) string {
	until = until.In(now.Location())
	y, m, d := now.Date()
	uy, um, ud := until.Date()
	if y == uy && m == um && d == ud {
		return until.Format("15:04")
	}
	return "tomorrow " + until.Format("15:04")
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// windowTitle puts the unread count in front of the title, as mail and
// chat apps do: "(3) Textbank".
func windowTitle(base string, unread int) string {
	if unread <= 0 {
		return base
	}
	return fmt.Sprintf("(%d) %s", unread, base)
}
