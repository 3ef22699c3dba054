// Package notify decides which replies become desktop notifications and how
// they are worded. It is plain Go (no Wails, no D-Bus) so every rule is a
// table test: the desktop shell feeds it replies and a clock and shows what
// it returns.
//
// The rules, in the order they are checked:
//   - own sends never notify (only a contact's words are news);
//   - blocked and opted-out contacts never notify;
//   - only news is offered: the cache tells a reply it had never held from
//     history by the feed's order, and the sync engine offers none until
//     the cache's first pull has completed (cache.CaughtUp). No clock is
//     compared here: a reply no one had read before a hand-over, dated
//     before the last one told of, or one stamped by a server whose clock
//     is behind another's, is news all the same;
//   - nothing while notifications are off or paused;
//   - nothing for the thread open on screen (the volunteer is reading it);
//   - replies arriving within Window of the first are grouped into one
//     notification, and more than Flood of them become one "N new replies";
//   - conversations reassigned to the user (an admin) are no replies: one is
//     "Conversation with Ada reassigned to you", several at once (Reassign
//     All Conversations, all at one instant) "5 conversations reassigned to
//     you", with who handed them over and their note; a click on several
//     opens the Admin section that lists them.
package notify

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/texting"
	"github.com/textbank/textbank/backend/words"
)

// Defaults for a Policy.
const (
	DefaultWindow = 2 * time.Second
	DefaultFlood  = 20
)

// Reply is one message that arrived in a thread, with what the policy needs
// to know about its contact.
type Reply struct {
	ThreadID     string
	CampaignID   string // the thread's campaign; "" when unknown
	ContactName  string
	ContactPhone string
	Action       string // the action's title, e.g. "Volunteer recruitment"
	Body         string
	Outbound     bool // sent by the volunteer
	OptedOut     bool
	Blocked      bool
	// Reassigned: not a reply but the conversation handed to the user (an
	// admin) by ReassignedBy; Body is their note.
	Reassigned   bool
	ReassignedBy string
	// OptedBackIn: not a reply but the contact opted back in by an admin
	// (OptedBackInBy) on their START, or by undoing an opt-out a report
	// filed by mistake (OptOutUndone); Body is empty.
	OptedBackIn   bool
	OptedBackInBy string
	OptOutUndone  bool
}

// Note is one desktop notification to show.
type Note struct {
	// ID is stable for a thread so a newer note replaces an older one.
	ID    string
	Title string
	Body  string
	// ThreadID is the thread a click opens; "" when the note covers several
	// threads (a click opens the unread replies instead).
	ThreadID string
	// AdminCampaignID is set when a note of several threads counts
	// conversations reassigned to the user: a click opens that campaign's
	// Admin section, which lists them under "Reassigned to me" (the Unread
	// filter would not show them: a handover is no unread reply).
	AdminCampaignID string
	// CampaignID is set when a note of several threads tells of replies
	// all from one campaign: a click opens that campaign's Unread replies,
	// not those of whichever campaign is on screen.
	CampaignID string
	// Count is how many things the note tells of: replies, contacts opted
	// back in and conversations reassigned (a group may mix them).
	Count int
}

// Reason says why a reply did not (or did) make it into a notification; it
// is logged and asserted in tests.
type Reason string

// Reasons.
const (
	Queued     Reason = "queued"
	OwnSend    Reason = "own send"
	Blocked    Reason = "blocked contact"
	OptedOut   Reason = "opted-out contact"
	Off        Reason = "notifications off"
	Paused     Reason = "paused"
	OpenThread Reason = "thread on screen"
)

// Settings are the volunteer's choices the policy obeys.
type Settings struct {
	Enabled     bool
	PausedUntil time.Time // zero: not paused
	// HideText: a reply's note says who replied (and in which action) but
	// not what: a lock screen shows notifications to whoever passes.
	// Off, the zero value, is the contact's words shown.
	HideText bool
}

// Policy is safe for concurrent use.
type Policy struct {
	window time.Duration
	flood  int

	mu         sync.Mutex
	settings   Settings
	openThread string
	pending    []Reply
	due        time.Time
}

// Config configures a Policy; zero fields take the defaults.
type Config struct {
	Window   time.Duration
	Flood    int
	Settings Settings
}

// New builds a policy.
func New(cfg Config) *Policy {
	p := &Policy{window: cfg.Window, flood: cfg.Flood, settings: cfg.Settings}
	if p.window <= 0 {
		p.window = DefaultWindow
	}
	if p.flood <= 0 {
		p.flood = DefaultFlood
	}
	return p
}

// SetSettings applies changed settings (pause, on/off).
func (p *Policy) SetSettings(s Settings) {
	p.mu.Lock()
	p.settings = s
	p.mu.Unlock()
}

// SetOpenThread says which thread is on screen ("" = none, or the window is
// hidden).
func (p *Policy) SetOpenThread(id string) {
	p.mu.Lock()
	p.openThread = id
	p.mu.Unlock()
}

// Drop forgets the replies waiting to be shown and the thread on screen:
// the volunteer signed out, and what was about them is no one's news now.
func (p *Policy) Drop() {
	p.mu.Lock()
	p.pending, p.openThread = nil, ""
	p.mu.Unlock()
}

// Offer considers one reply. When it is queued, due is when Flush will
// release its group (the caller sets a timer for it).
func (p *Policy) Offer(now time.Time, r Reply) (Reason, time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case r.Outbound:
		return OwnSend, time.Time{}
	case r.Blocked:
		return Blocked, time.Time{}
	case r.OptedOut:
		return OptedOut, time.Time{}
	}
	if reason := p.silencedLocked(now); reason != "" {
		return reason, time.Time{}
	}
	if r.ThreadID != "" && r.ThreadID == p.openThread {
		return OpenThread, time.Time{}
	}
	if len(p.pending) == 0 {
		p.due = now.Add(p.window)
	}
	p.pending = append(p.pending, r)
	return Queued, p.due
}

func (p *Policy) silencedLocked(now time.Time) Reason {
	if !p.settings.Enabled {
		return Off
	}
	if now.Before(p.settings.PausedUntil) {
		return Paused
	}
	return ""
}

// Flush returns the notification for the group whose window has passed, or
// nil when none is due. A pause or an opened thread that came about during
// the window still applies.
func (p *Policy) Flush(now time.Time) []Note {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.pending) == 0 || now.Before(p.due) {
		return nil
	}
	group := p.pending
	p.pending = nil
	if p.silencedLocked(now) != "" {
		return nil
	}
	kept := group[:0]
	for _, r := range group {
		if r.ThreadID == "" || r.ThreadID != p.openThread {
			kept = append(kept, r)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return []Note{p.word(kept)}
}

// Who names a contact: their name, or their number when they have none.
func Who(r Reply) string {
	if s := texting.DisplayName(r.ContactName, r.ContactPhone); s != "" {
		return s
	}
	return "A contact"
}

// what is the body of one reply's notification: the action and the text,
// or only that there is a reply when the text is hidden.
func (p *Policy) what(r Reply) string {
	body := strings.TrimSpace(r.Body)
	if p.settings.HideText {
		body = "New reply"
		if r.Action != "" {
			body = "new reply"
		}
	}
	if r.Action == "" {
		return body
	}
	return r.Action + ": " + body
}

// handedOver says who reassigned a conversation, and why when they said.
func handedOver(r Reply) string {
	by := strings.TrimSpace(r.ReassignedBy)
	if by == "" {
		by = "A volunteer"
	}
	if note := strings.TrimSpace(r.Body); note != "" {
		return by + ": " + note
	}
	return "From " + by
}

// optedBackIn says who lifted a contact's opt-out, and why, and what it
// means for the volunteer.
func optedBackIn(r Reply) string {
	by := strings.TrimSpace(r.OptedBackInBy)
	if by == "" {
		by = "An organizer"
	}
	if r.OptOutUndone {
		return by + " undid their opt-out: a report had opted them out by mistake, and you can text them again."
	}
	return by + " lifted their opt-out after they texted START: you can text them again."
}

// optedBackInTitle is the notification's title for an opt-back-in.
func optedBackInTitle(r Reply) string {
	if r.OptOutUndone {
		return Who(r) + "'s opt-out was undone"
	}
	return Who(r) + " opted back in"
}

// list joins names in plain English, naming at most three.
func list(names []string) string {
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	case 3:
		return names[0] + ", " + names[1] + " and " + names[2]
	}
	rest := len(names) - 2
	others := "others"
	if rest == 1 {
		others = "other"
	}
	return fmt.Sprintf("%s, %s and %d %s", names[0], names[1], rest, others)
}

// PauseUntil is when a pause chosen now ends: "hour" is an hour from now,
// "tomorrow" is 8:00 tomorrow in the volunteer's time zone (a pause chosen
// in the evening should last the night).
func PauseUntil(now time.Time, choice string) (time.Time, error) {
	switch choice {
	case "hour":
		return now.Add(time.Hour), nil
	case "tomorrow":
		y, m, d := now.Date()
		return time.Date(y, m, d+1, 8, 0, 0, 0, now.Location()), nil
	}
	return time.Time{}, words.Errorf("pause %q: choose \"hour\" or \"tomorrow\"", choice)
}
