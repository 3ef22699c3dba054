package cache

import "time"

// What a page brought that the volunteer is told of (ApplyPage's
// PageResult): a desktop notification each, through backend/notify.

// NewInbound is an inbound message this page brought that the cache had
// never seen: what a desktop notification is about.
type NewInbound struct {
	ThreadID string
	// CampaignID is the thread's campaign: the reply may come from a
	// campaign other than the one on screen.
	CampaignID  string
	MessageID   string
	ContactName string
	// ContactPhone names a contact who has no name ("New reply from +1...").
	ContactPhone string
	Body         string
	// At is when this reply came (the message's own time): the thread's
	// newest reply may be a later one, from the same page.
	At time.Time
}

// NewReassigned is a thread this page brought because it was reassigned to
// the user: what an admin's desktop notification is about.
type NewReassigned struct {
	ThreadID     string
	CampaignID   string
	ContactName  string
	ContactPhone string
	FromName     string
	Note         string
	At           time.Time
}

// NewOptedBackIn is a thread of the user's whose contact, opted out until
// this page, an admin opted back in (api.Thread.OptedBackIn).
type NewOptedBackIn struct {
	ThreadID     string
	CampaignID   string
	ContactName  string
	ContactPhone string
	ByName       string
	At           time.Time
}
