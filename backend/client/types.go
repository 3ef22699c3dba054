// Package client is the volunteer's side of Textbank as plain Go: sign-in,
// campaigns, the send queue and the inbox, answered from the local cache and
// kept current by the sync engine. The Wails services in app/ only forward to
// it, so everything here is testable headless.
package client

import (
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/texting"
)

// DemoSignIn is one of the demo's accounts: who it is ("volunteer",
// "organizer"), its email and its password.
type DemoSignIn struct {
	Who      string `json:"who"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Status is what the window needs to decide which screen to show.
type Status struct {
	SignedIn  bool      `json:"signedIn"`
	User      *api.User `json:"user,omitempty"`
	ServerURL string    `json:"serverUrl"`
	Demo      bool      `json:"demo"`
	// DemoJoinCode is the demo campaign's join code in demo mode.
	DemoJoinCode string `json:"demoJoinCode,omitempty"`
	// DemoSignIns are the demo's accounts in demo mode, shown on the
	// sign-in screen: a newcomer who signs out of the demo can get back in
	// (or in as the organizer) without the README.
	DemoSignIns []DemoSignIn `json:"demoSignIns,omitempty"`
	Online      bool         `json:"online"`
	// Connection is "online", "offline" or "connecting" (signed in, no
	// answer from the server yet); "" when signed out.
	Connection string `json:"connection"`
	// SessionExpired: the server no longer accepts this desktop's sign-in
	// (401, e.g. session_expired after 30 days unused or 90 days after the
	// sign-in). The window takes the volunteer to sign-in; the app then
	// ends the sign-in (SignInEnded), or, if it could not set the waiting
	// changes apart, signing in again as the same person keeps the cache
	// and the pending changes (see begin).
	SessionExpired bool `json:"sessionExpired"`
	// SignInEnded is the email of a sign-in the server ended (or that went
	// unused longer than the server keeps one): this computer's copy of the
	// inbox went with it but for the changes still waiting (Pending), which
	// signing in again as that person sends (ended.go); signing in brings
	// the inbox back. "" otherwise.
	SignInEnded string `json:"signInEnded,omitempty"`
	// ServerRefused: the server address is not connected to (plain http://
	// to another computer, saved by an older app); the sentence says what
	// to do, and is the Problem too. "" when all is well.
	ServerRefused string `json:"serverRefused,omitempty"`
	// ServerBusy: the server answered that it is too busy (503
	// server_busy, at its connection cap), not that it is gone: offline
	// all the same, and the Problem says so; sync asks again. Always
	// sent: the window merges each status into the last, so a false left
	// out would keep an earlier true.
	ServerBusy bool `json:"serverBusy"`
	// Unopened: this computer's copy of the inbox could not be opened (a
	// full disk, a file another program holds); the Problem says why and
	// what to do, and asking again tries again (reopen.go). Always sent,
	// as ServerBusy is: a status event merged into one that said true.
	Unopened bool `json:"unopened"`
	// Problem is "" when all is well, else one short sentence for the
	// volunteer. The technical detail is in the log.
	Problem   string `json:"problem"`
	Pending   int    `json:"pending"`   // the volunteer's changes not yet accepted by the server (reads left out)
	LastError string `json:"lastError"` // last sync error, for the log only; the UI shows Problem
	// Seq orders the status events (EventSyncStatus), newest highest: the
	// window applies an event only above the last one it applied, since a
	// transport may deliver them out of order (wails dev writes each event
	// to the browser's socket from a goroutine of its own). 0 in Status()'s
	// answers.
	Seq uint64 `json:"seq"`
}

// Connection states (Status.Connection).
const (
	ConnectionOnline     = "online"
	ConnectionOffline    = "offline"
	ConnectionConnecting = "connecting"
)

// Settings are the volunteer's settings, kept on the server so they follow
// the volunteer to another desktop.
type Settings struct {
	AutoArchive bool `json:"autoArchive"`
}

// Archive reasons (ThreadSummary.ArchivedReason, ThreadView.ArchivedReason):
// "Archived by you", "Archived after report", "Archived: inactive".
const (
	ArchivedByUser   = "user"
	ArchivedByReport = "report"
	ArchivedInactive = "inactive"
)

// QueueItem is one contact waiting for an initial text, with the script
// already rendered for them.
type QueueItem struct {
	ContactID string `json:"contactId"`
	// Name is how the contact is shown (texting.DisplayName): their name,
	// else their number as people read it.
	Name  string `json:"name"`
	Phone string `json:"phone"` // E.164
	// PhoneDisplay is Phone as people read it (phone.Display), shown under
	// a name; a Name equal to it is no name of their own.
	PhoneDisplay string `json:"phoneDisplay"`
	Body         string `json:"body"`
	Segments     int    `json:"segments"`
	// Error says why the script could not be rendered for this contact
	// (Body is then ""); such a contact cannot be sent to until the admin
	// fixes the script or the contact's fields, and is never sent a blank.
	Error string `json:"error,omitempty"`
	// ScriptChanged: the server refused this contact's first text because
	// the script changed after the app showed it; Body is the server's new
	// text, which SendNewText sends.
	ScriptChanged bool `json:"scriptChanged,omitempty"`
}

// Queue is the send screen: the action and the contacts left in the batch.
type Queue struct {
	Action api.Action  `json:"action"`
	Items  []QueueItem `json:"items"`
	// Remaining is how many contacts the server still holds unassigned, as of
	// the last Text Again (-1 when unknown).
	Remaining int `json:"remaining"`
}

// Batch is what a Text Again brought.
type Batch struct {
	// Assigned is how many contacts are waiting to be texted now (the
	// contacts still unsent from before come back first).
	Assigned int `json:"assigned"`
	// HeldBack is how many contacts the server passed over because it is
	// outside the action's texting hours where they live; they stay in the
	// pool for later.
	HeldBack int `json:"heldBack"`
	// RecentlyTexted is how many contacts the server passed over because
	// the organization sent their number a first text in the last 6 hours
	// (another action's list with the same people); they stay in the pool.
	RecentlyTexted int `json:"recentlyTexted"`
	// Remaining is how many contacts the server still holds unassigned.
	Remaining int `json:"remaining"`
	// Nothing, when the server handed out no one and said why (no one
	// left, texting hours, the 6-hour rule, a script that cannot be filled
	// in, no sending numbers, an archived campaign): that answer in words.
	// An answer, not a failure: a failed call (offline) is an error.
	Nothing string `json:"nothing,omitempty"`
}

// Filter names, as the inbox shows them and Threads takes them: inbox's
// filters (their one home, which the cache's SQL and backend.ts follow too),
// as plain strings.
const (
	FilterAll            = string(inbox.All)
	FilterUnread         = string(inbox.Unread)
	FilterNeedsAttention = string(inbox.NeedsAttention)
	FilterArchive        = string(inbox.Archive)
	FilterFriends        = string(inbox.Friends)
	FilterTeam           = string(inbox.Team)
	FilterCanvassing     = string(inbox.Canvassing)
)

// Counts maps each filter name to its number of threads.
type Counts map[string]int

// ThreadSummary is one row of the thread list.
type ThreadSummary struct {
	ID         string `json:"id"`
	CampaignID string `json:"campaignId"`
	ActionID   string `json:"actionId"`
	// ContactName is how the contact is shown (texting.DisplayName), and
	// ContactPhoneDisplay their number (phone.Display); ContactPhone is
	// E.164, as stored.
	ContactName         string    `json:"contactName"`
	ContactPhone        string    `json:"contactPhone"`
	ContactPhoneDisplay string    `json:"contactPhoneDisplay"`
	ActionType          string    `json:"actionType"`
	ActionTitle         string    `json:"actionTitle"`
	LastMessage         string    `json:"lastMessage"`
	LastMessageAt       time.Time `json:"lastMessageAt"`
	// LastFromUs: the last message went out from the campaign's number (the
	// row says "You:" before it, so it is not read as the contact's words).
	LastFromUs     bool `json:"lastFromUs"`
	Unread         bool `json:"unread"`
	NeedsAttention bool `json:"needsAttention"`
	// OptOutUndecided: a reply reads like a request to stop and no report
	// has decided it (the row says "May be an opt-out").
	OptOutUndecided bool `json:"optOutUndecided"`
	// Unanswered: the contact's latest reply has no answer, though the
	// last text may be ours (written before that reply came): the row
	// says "Needs a report" only once it is answered.
	Unanswered     bool   `json:"unanswered"`
	Archived       bool   `json:"archived"`
	ArchivedReason string `json:"archivedReason"` // "" or one of the Archived* reasons
	OptedOut       bool   `json:"optedOut"`
	ReassignedFrom string `json:"reassignedFrom"` // who handed it to this user, "" if nobody did
	// Filters are the filters the row is listed under (inbox.FiltersOf):
	// the window places a changed row in its lists by them, with no copy
	// of the rules.
	Filters []string `json:"filters"`
}

// MessageView is a message in an open thread; Pending is true until the
// server accepted it; Error (on the message) says why it did not go out.
type MessageView struct {
	api.Message      // Error: the server's refusal in the volunteer's words, or the provider's
	Pending     bool `json:"pending"`
}

// ThreadView is an open thread. Thread.ContactName is how the contact is
// shown (texting.DisplayName), ContactPhoneDisplay their number as people
// read it (phone.Display), which the heading shows under a name of their
// own (one that differs from it).
type ThreadView struct {
	Thread              api.Thread           `json:"thread"`
	ContactPhoneDisplay string               `json:"contactPhoneDisplay"`
	Archived            bool                 `json:"archived"`
	ArchivedReason      string               `json:"archivedReason"` // "" or one of the Archived* reasons
	ActionTitle         string               `json:"actionTitle"`
	Messages            []MessageView        `json:"messages"`
	ResponseScripts     []api.ResponseScript `json:"responseScripts"` // rendered for this contact
	// Reports filed on the conversation, newest first (a report still on
	// its way to the server included).
	Reports []api.Report `json:"reports"`
	// PendingReports are the ids of those reports still waiting to reach
	// the server (filed offline, or not sent yet): the thread says so, as
	// it does of a reply waiting to send.
	PendingReports []string `json:"pendingReports"`
	// LatestReport is what the reports say now, each field's newest value
	// (report.Latest): what the thread's summary shows and the form starts
	// from.
	LatestReport  map[string]string `json:"latestReport"`
	AllowFreeText bool              `json:"allowFreeText"`
	// ReportFields are the action's own report fields in the admin's order;
	// Notes ("notes", text) and Opt Out ("opt_out", tag) come on top of them.
	ReportFields []api.ReportField `json:"reportFields"`
	// RemovedFields are the fields of each key the reports hold that
	// ReportFields, Opt Out and Notes do not (an admin removed the field
	// since), in key order: as last known while this computer knows it (its
	// label and kind, so a tag's value reads Yes or No), else a text field
	// named by the key's words (report.KeyWords). The report history names
	// and reads them so.
	RemovedFields []api.ReportField `json:"removedFields"`
	// OptOutSuggested: an inbound text reads like a request to stop
	// (Message.LikelyOptOut) and no report has decided it since; the thread
	// shows "This may be an opt-out request".
	OptOutSuggested bool             `json:"optOutSuggested"`
	TextingHours    api.TextingHours `json:"textingHours"`
	// ContactDetails are the contact's zip and custom columns with a value
	// (texting.Details), none when the app has only their name.
	ContactDetails []texting.Detail `json:"contactDetails"`
}

// PendingMutation is one entry of the outbox as the volunteer sees it.
type PendingMutation struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	Summary   string    `json:"summary"` // what the volunteer did: "Reply to Ada Lovelace"
	CreatedAt time.Time `json:"createdAt"`
	Attempts  int       `json:"attempts"`
	Rejected  bool      `json:"rejected"`
	Reason    string    `json:"reason,omitempty"` // why it was refused, in the volunteer's words
	// Said is what the volunteer wrote in a refused reply or report (the
	// text; the report's values, "Will vote: Yes; Notes: …"), kept for them
	// to use again: the refusal takes it off the conversation.
	Said string `json:"said,omitempty"`
	// Faults is how many times the campaign server failed this change with
	// a fault of its own; Discardable once there are enough, over enough
	// time (cache.Discardable), for the volunteer to give up on it
	// (DiscardFailing), since it holds back every change after it.
	Faults      int  `json:"faults,omitempty"`
	Discardable bool `json:"discardable,omitempty"`
	// ThreadID and CampaignID name the conversation it concerns while that
	// is still in this inbox ("" otherwise): the Outbox opens it from a
	// refusal, to answer again, file the report again or see why.
	ThreadID   string `json:"threadId,omitempty"`
	CampaignID string `json:"campaignId,omitempty"`
}
