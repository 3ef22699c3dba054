package app

import "github.com/textbank/textbank/backend/notify"

// Notification actions, as the shell hears them.
const (
	ActionOpen = "open" // the notification or its Open button was clicked
	ActionRead = "read" // Mark as read
)

// Notifier shows desktop notifications and reports clicks on them.
type Notifier interface {
	// Notify shows n, replacing an earlier one with the same ID. sound asks
	// for the platform's message sound where the app can choose it (Linux;
	// elsewhere the system's setting decides, NotificationSoundSetIn).
	Notify(n notify.Note, sound bool) error
	// OnAction registers what a click does, given the note clicked (as far
	// as the platform gives it back: its ThreadID and AdminCampaignID).
	OnAction(func(action string, note notify.Note))
	// WithdrawAll takes back every note this app has on screen: after a
	// sign-out they name the contacts of an account that has left.
	WithdrawAll() error
	Close()
}

// NotificationSoundSetIn says where the system's own setting for a
// notification's sound is, for the Settings screen to name instead of its
// "Play a sound" switch; "" where that switch works. It works on Linux (the
// freedesktop "sound-name" hint). Wails v2.15's notifications take no sound:
// on macOS every note asks for the default sound (darwin/WailsContext.m,
// content.sound = [UNNotificationSound defaultSound]), on Windows go-toast
// plays the toast's default; each system's per-app setting decides.
func NotificationSoundSetIn(goos string) string {
	switch goos {
	case "darwin":
		return "System Settings > Notifications > Textbank"
	case "windows":
		return "Settings > System > Notifications > Textbank"
	}
	return ""
}
