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
	// for the platform's message sound.
	Notify(n notify.Note, sound bool) error
	// OnAction registers what a click does, given the note clicked (as far
	// as the platform gives it back: its ThreadID and AdminCampaignID).
	OnAction(func(action string, note notify.Note))
	// WithdrawAll takes back every note this app has on screen: after a
	// sign-out they name the contacts of an account that has left.
	WithdrawAll() error
	Close()
}
