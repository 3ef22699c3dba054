package api

import (
	"time"
)

// Mutation types.
const (
	MutSendInitial = "send_initial" // ActionID, ContactID, MessageID, Body (the text the app showed)
	MutReply       = "reply"        // ThreadID, MessageID, Body, ResponseScriptID, At (the newest reply seen)
	MutRead        = "read"         // ThreadID, At
	MutArchive     = "archive"      // ThreadID, Archived, At (the newest reply seen)
	MutReport      = "report"       // ThreadID, ReportID, Values, At (the newest reply seen)
	MutSettings    = "settings"     // Settings
	MutBlock       = "block"        // ThreadID, Reason, Body (optional note): opts out, hides, tells admins
	MutReassign    = "reassign"     // ThreadID (one) or ActionID (all the caller holds), ToUserID, Body (note)
)

// MaxRequestBody is the largest request body the server reads (a page of
// mutations is the biggest legitimate one); the app sizes its pushes by it.
const MaxRequestBody = 1 << 20

// MaxID is the longest id the server takes in a mutation (its own, a
// thread's, a contact's, a user's): longer is no id it ever gave out.
const MaxID = 100

// Mutation is one user action, identified by a client-generated id (UUID).
// The server applies each id at most once; a repeat returns the first result.
// At is for a read how far it reads, and for an archive or a report how far
// into the contact's replies it archives (the newest reply the app held,
// the zero time for none): a reply's time, the server's, never the app's
// clock.
type Mutation struct {
	ID               string            `json:"id"`
	Type             string            `json:"type"`
	CreatedAt        time.Time         `json:"createdAt"`
	ActionID         string            `json:"actionId,omitempty"`
	ContactID        string            `json:"contactId,omitempty"`
	ThreadID         string            `json:"threadId,omitempty"`
	MessageID        string            `json:"messageId,omitempty"`
	Body             string            `json:"body,omitempty"`
	ResponseScriptID string            `json:"responseScriptId,omitempty"`
	At               *time.Time        `json:"at,omitempty"`
	Archived         *bool             `json:"archived,omitempty"`
	ReportID         string            `json:"reportId,omitempty"`
	Values           map[string]string `json:"values,omitempty"`
	Settings         *Settings         `json:"settings,omitempty"`
	Reason           string            `json:"reason,omitempty"`   // block
	ToUserID         string            `json:"toUserId,omitempty"` // reassign
}

type MutationsRequest struct {
	Mutations []Mutation `json:"mutations"`
}

const (
	ResultApplied  = "applied"
	ResultRejected = "rejected"
)

// Rejection reasons (MutationResult.Code).
const (
	RejectNotAssigned    = "not_assigned"
	RejectOptedOut       = "opted_out"
	RejectBlocked        = "blocked"
	RejectQuietHours     = "quiet_hours"
	RejectRecentlyTexted = "recently_texted"
	RejectFreeText       = "free_text_not_allowed"
	RejectInvalid        = "invalid"
	RejectNoNumber       = "no_sending_number"
	RejectProvider       = "provider_error"
	// RejectIDReused: the mutation id is already another mutation's (a
	// user's other, or another type, or other content); nothing was done,
	// and a retry of the one applied still gets its result.
	RejectIDReused = "id_reused"
	// RejectScriptChanged: the initial text the app showed (Mutation.Body)
	// is not what the server renders now (the script or the contact changed);
	// MutationResult.Body carries the text the server would send.
	RejectScriptChanged = "script_changed"
	// RejectRemoved: an organizer took the caller off the campaign the
	// mutation is about (textbankd members remove); Reason names it.
	RejectRemoved = "removed_from_campaign"
)

type MutationResult struct {
	ID     string `json:"id"`
	Status string `json:"status"`           // applied | rejected
	Code   string `json:"code,omitempty"`   // rejection code
	Reason string `json:"reason,omitempty"` // human-readable
	// Body is set with code script_changed: the text to show instead.
	Body string `json:"body,omitempty"`
	// Version is set for an applied settings change: the sync version it
	// was stored at. An app whose cursor is below it stores the change as
	// the server's settings; one at or past it has the server's own
	// (maybe newer) settings already.
	Version int64 `json:"version,omitempty"`
}

type MutationsResponse struct {
	Results []MutationResult `json:"results"`
}

// CodeOutsideHours answers Text Again (409) when contacts are left but it is
// outside the action's texting hours for every one looked at.
const CodeOutsideHours = "outside_texting_hours"

// CodeRecentlyTexted answers Text Again (409) when every contact left that
// it looked at has a number the organization sent a first text within the
// 6-hour lock: they are handed out once it has passed. The same code as
// the send's refusal for it (RejectRecentlyTexted).
const CodeRecentlyTexted = RejectRecentlyTexted

// CodeNoNumber answers Text Again (409) in a campaign that has no sending
// numbers yet. The same code as the send's refusal for it (RejectNoNumber).
const CodeNoNumber = RejectNoNumber

// BatchResponse answers POST /api/v1/actions/{id}/batches (Text Again).
type BatchResponse struct {
	Assigned  []Assignment `json:"assigned"`
	Remaining int          `json:"remaining"` // unassigned contacts left in the action
	// HeldBack counts contacts passed over because it is outside the
	// action's texting hours where they live; they stay in the pool.
	HeldBack int `json:"heldBack"`
	// RecentlyTexted counts contacts passed over because the organization
	// sent their number a first text within the 6-hour lock (another
	// action's list with the same people); they stay in the pool.
	RecentlyTexted int `json:"recentlyTexted,omitempty"`
}

// ReleaseRequest names the contacts to release; none named, every unsent one.
type ReleaseRequest struct {
	ContactIDs []string `json:"contactIds,omitempty"`
}

type ReleaseResponse struct {
	Released int `json:"released"`
}

// ContactsRequest names conversations (a thread's id is its contact's id)
// whose contacts the app lacks: a conversation handed over by Reassign, or
// one synced into a new cache, comes without the contact's columns, which
// its response scripts are filled from.
type ContactsRequest struct {
	IDs []string `json:"ids"`
}

// ContactsResponse holds the contacts of the named conversations the
// caller owns, each as its assignment carried it (names, number, columns);
// the others are left out.
type ContactsResponse struct {
	Contacts []Assignment `json:"contacts"`
	// Answered, when set, is how many of the request's ids, in its order,
	// the answer covers: the contacts of the rest would have taken it past
	// SyncPageBytes (the app's cap on an answer), so they are to be asked
	// for again. 0 (all fit, or a server from before): every id.
	Answered int `json:"answered,omitempty"`
}

// MaxContactsLookup bounds the ids of one ContactsRequest.
const MaxContactsLookup = 500
