package app

import "context"

// NewPlatformNotifier on Linux talks to org.freedesktop.Notifications.
func NewPlatformNotifier(context.Context) (Notifier, error) { return NewDBusNotifier() }
