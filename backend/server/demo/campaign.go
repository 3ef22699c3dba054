package demo

import "github.com/textbank/textbank/backend/server/democampaign"

// The demo campaign's facts, for the desktop app and the tests that drive
// a demo server; democampaign is their home.
const (
	JoinCode          = democampaign.JoinCode
	CampaignName      = democampaign.CampaignName
	ActionTitle       = democampaign.ActionTitle
	VolunteerName     = democampaign.VolunteerName
	VolunteerEmail    = democampaign.VolunteerEmail
	VolunteerPassword = democampaign.VolunteerPassword
	OrganizerName     = democampaign.OrganizerName
	OrganizerEmail    = democampaign.OrganizerEmail
	OrganizerPassword = democampaign.OrganizerPassword
	// SampleContact's reply can be played with textbankd sim text from
	// SampleContactPhone to SendingNumbers()[0].
	SampleContact      = democampaign.SampleContact
	SampleContactPhone = democampaign.SampleContactPhone
)

// Info is what a caller needs to drive the demo.
type Info = democampaign.Info

// LabelledActionTitles names the demo's non-p2p actions by type.
var LabelledActionTitles = democampaign.LabelledActionTitles

// SeededThreads is how many conversations the demo volunteer's inbox lists
// under All before they text anyone.
func SeededThreads() int { return democampaign.SeededThreads() }

// SeededUnread is how many of those are unread and need attention: all but
// the Broadcast's, which nobody has answered yet.
func SeededUnread() int { return democampaign.SeededUnread() }

// SeededArchived is how many more it holds in the Archive, archived for
// going quiet two months ago.
func SeededArchived() int { return democampaign.SeededArchived() }

// SendingNumbers is the demo campaign's pool of sending numbers.
func SendingNumbers() []string { return democampaign.SendingNumbers() }
