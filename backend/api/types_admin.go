package api

import (
	"time"

	"github.com/textbank/textbank/backend/texting"
)

// The Admin section's wire types: GET /api/v1/campaigns/{id}/admin and
// what its rows lead to.

// AbuseReport is a contact a volunteer blocked, as the campaign's admins
// see it (GET /api/v1/campaigns/{id}/admin).
type AbuseReport struct {
	ID           string    `json:"id"` // the block's
	ThreadID     string    `json:"threadId"`
	ActionTitle  string    `json:"actionTitle"`
	ContactName  string    `json:"contactName"`
	ContactPhone string    `json:"contactPhone"`
	ReportedBy   string    `json:"reportedBy"` // volunteer's name
	Reason       string    `json:"reason"`     // one of the Block* reasons
	Note         string    `json:"note,omitempty"`
	At           time.Time `json:"at"`
	LastMessage  string    `json:"lastMessage,omitempty"`
	// ReviewedAt is when an admin marked the report reviewed, ReviewedBy
	// who (absent while it is open).
	ReviewedAt *time.Time `json:"reviewedAt,omitempty"`
	ReviewedBy string     `json:"reviewedBy,omitempty"`
}

// OptIn is a START/UNSTOP from an opted-out contact: recorded for admins,
// never acted on silently.
type OptIn struct {
	ID           string    `json:"id"`
	ContactPhone string    `json:"contactPhone"`
	ContactName  string    `json:"contactName,omitempty"`
	Body         string    `json:"body"`
	At           time.Time `json:"at"`
	// ThreadID is the campaign's conversation with the contact: the one the
	// START came in, else their latest in this campaign. Yours: it is in the
	// caller's inbox (open it there); otherwise HeldBy names who holds it
	// and the admin reads it with GET .../admin/threads/{threadId}.
	ThreadID string `json:"threadId,omitempty"`
	Yours    bool   `json:"yours,omitempty"`
	HeldBy   string `json:"heldBy,omitempty"`
	// ActionTitle is the title of the action the conversation is of ("" with
	// no conversation: a START that reached none).
	ActionTitle string `json:"actionTitle,omitempty"`
	// Blocked: a volunteer reported the contact for abuse and blocked that
	// conversation; opting them back in lifts the organization's opt-out,
	// never the block (nobody replies in it).
	Blocked bool `json:"blocked,omitempty"`
	// OptedOut: the number is still opted out of the organization, so an
	// admin may lift it (POST .../admin/opt-ins/{optInId}/opt-back-in).
	OptedOut bool `json:"optedOut"`
	// OptedBackInAt and OptedBackInBy: an admin lifted the opt-out on
	// this START, when and who.
	OptedBackInAt *time.Time `json:"optedBackInAt,omitempty"`
	OptedBackInBy string     `json:"optedBackInBy,omitempty"`
	// ReviewedAt is when an admin marked the opt-in reviewed, ReviewedBy
	// who (absent while it is open).
	ReviewedAt *time.Time `json:"reviewedAt,omitempty"`
	ReviewedBy string     `json:"reviewedBy,omitempty"`
}

// UnroutableText is an inbound text no thread claims.
type UnroutableText struct {
	ID   string    `json:"id"`
	From string    `json:"from"`
	To   string    `json:"to"`
	Body string    `json:"body"` // the whole text, with any media links on lines of their own
	At   time.Time `json:"at"`
	// When From is a contact of this campaign (whose conversation is on
	// another number than To): their name and latest conversation here, for
	// the admin to read.
	ContactName string `json:"contactName,omitempty"`
	ThreadID    string `json:"threadId,omitempty"`
	// HandledAt is when the text was marked handled, absent while it is
	// open. HandledBy is the name of the admin who marked it in the app;
	// absent, with HandledFromCommandLine true, when it was marked with
	// textbankd unroutable handle (the server's console is no account).
	HandledAt              *time.Time `json:"handledAt,omitempty"`
	HandledBy              string     `json:"handledBy,omitempty"`
	HandledFromCommandLine bool       `json:"handledFromCommandLine,omitempty"`
}

// UnroutableHandled is the body of PUT
// /api/v1/campaigns/{id}/admin/unroutable/{textId}/handled: true marks the
// text handled, false open again. Required.
type UnroutableHandled struct {
	Handled *bool `json:"handled"`
}

// Reviewed is the body of PUT .../admin/abuse-reports/{reportId}/reviewed
// and .../admin/opt-ins/{optInId}/reviewed: true marks it reviewed, false
// open again.
type Reviewed struct {
	Reviewed *bool `json:"reviewed"`
}

// AbuseReportsResponse answers GET /api/v1/campaigns/{id}/admin/abuse-reports/reviewed.
type AbuseReportsResponse struct {
	AbuseReports []AbuseReport `json:"abuseReports"`
}

// OptInsResponse answers GET /api/v1/campaigns/{id}/admin/opt-ins/reviewed.
type OptInsResponse struct {
	OptIns []OptIn `json:"optIns"`
}

// UnroutableResponse answers GET /api/v1/campaigns/{id}/admin/unroutable/handled.
type UnroutableResponse struct {
	Unroutable []UnroutableText `json:"unroutable"`
}

// AdminOverview answers GET /api/v1/campaigns/{id}/admin (admins only):
// the Admin section of the app.
type AdminOverview struct {
	Reassigned   []Thread      `json:"reassigned"`   // threads reassigned to the caller, newest first
	AbuseReports []AbuseReport `json:"abuseReports"` // the open ones, newest first
	// AbuseReportsReviewed counts the reports marked reviewed, left out of
	// AbuseReports (GET .../admin/abuse-reports/reviewed lists them).
	AbuseReportsReviewed int              `json:"abuseReportsReviewed"`
	Unroutable           []UnroutableText `json:"unroutable"` // the open ones, newest first
	// UnroutableHandled counts the texts marked handled, left out of
	// Unroutable (GET .../admin/unroutable/handled lists them).
	UnroutableHandled int     `json:"unroutableHandled"`
	OptIns            []OptIn `json:"optIns"` // the open ones, newest first
	// OptInsReviewed counts the opt-ins marked reviewed, left out of
	// OptIns (GET .../admin/opt-ins/reviewed lists them).
	OptInsReviewed int `json:"optInsReviewed"`
	// Each list holds the newest 200; these count all of them (the open
	// ones, for the three an admin marks done), for the headings and to
	// say when older rows are left out.
	ReassignedTotal  int `json:"reassignedTotal"`
	AbuseReportsOpen int `json:"abuseReportsOpen"`
	UnroutableOpen   int `json:"unroutableOpen"`
	OptInsOpen       int `json:"optInsOpen"`
}

// MessagesResponse answers GET /api/v1/campaigns/{id}/admin/threads/{threadId}
// (admins only): the conversation's latest texts, oldest first, and the
// organization's opt-out of its number (absent when there is none). POST
// .../undo-opt-out answers it too, as it is after the undo. An answer ends
// at SyncPageBytes (the app's cap on an answer, which thousands of long
// texts would pass): Earlier counts the texts before Messages[0] it left
// out, and ?before=Messages[0].ID asks for them, answered with Messages and
// Earlier alone.
type MessagesResponse struct {
	Messages []Message `json:"messages"`
	// Earlier is how many texts of the conversation come before Messages
	// and are not in this answer; 0 (none, or a server from before), the
	// answer begins with the conversation's first text.
	Earlier int          `json:"earlier,omitempty"`
	OptOut  *AdminOptOut `json:"optOut,omitempty"`
	// Blocked: a volunteer reported the contact for abuse and blocked this
	// conversation (as AdminOptOutRow's): lifting the opt-out leaves it.
	Blocked bool `json:"blocked,omitempty"`
	// ContactDetails are every column of the conversation's contact that
	// holds a value (zip first, then by name): its campaign's admins see
	// them all, as their exports do, where a volunteer's app receives only
	// the columns the action shows (texting.SeenFields).
	ContactDetails []texting.Detail `json:"contactDetails,omitempty"`
}

// AdminOptOut is the organization's opt-out of a conversation's number as
// its admins see it.
type AdminOptOut struct {
	Reason string `json:"reason"`
	// Source is where it came from: OptOutFromReport (a volunteer's or an
	// admin's report with Opt Out on), ...Contact (the contact texted STOP,
	// or their carrier unsubscribed them), ...Block (a volunteer blocked
	// them), ...Import (an organizer's opt-out list); "" for one recorded
	// before sources were kept, which stands like a STOP.
	Source string `json:"source"`
	// ImportedFrom names the file of the organizer's opt-out list (Source
	// OptOutFromImport; the FILE textbankd opt-outs import read, without its
	// folder), "" for any other and for an import that named none. The app says it in its own
	// words; Reason is the export's.
	ImportedFrom string `json:"importedFrom,omitempty"`
	// At is when the number was opted out, or last opted out again: Undo
	// Opt Out sends it back (UndoOptOut), so an opt-out renewed since the
	// admin looked is not undone unseen.
	At time.Time `json:"at"`
	// Undoable: only reports (a volunteer's or an admin's) opted the number
	// out, so an admin may undo it (POST .../admin/threads/{threadId}/undo-opt-out).
	// One the contact asked for, a block's or an import's stands until the
	// contact's START (Opt Back In); a report's filed in a conversation of
	// another campaign is undone by that campaign's admins (ReportedIn).
	Undoable bool `json:"undoable"`
	// ReportedIn names the other campaign whose conversation holds a report
	// with Opt Out on, when that is why Undoable is false.
	ReportedIn string `json:"reportedIn,omitempty"`
	// Start is where the contact's START is, one that would lift this
	// opt-out (received after it, and after its renewals): StartNone,
	// StartListed (an open opt-in of the campaign, under Opt-ins with Opt
	// Back In) or StartReviewed (one marked reviewed, with Opt Back In
	// among the reviewed ones).
	Start string `json:"start"`
}

// Where a contact's START is (AdminOptOut.Start).
const (
	StartNone     = "none"
	StartListed   = "listed"
	StartReviewed = "reviewed"
)

// UndoOptOut is the body of POST
// /api/v1/campaigns/{id}/admin/threads/{threadId}/undo-opt-out: the
// opt-out's At as the admin saw it (required).
type UndoOptOut struct {
	OptedOutAt *time.Time `json:"optedOutAt"`
}

// ScriptResult is one initial script's results, or an action's in total
// (Script 0): the figures `textbankd stats` prints and the Admin section's
// Results show, made by one function on the server (actionResults).
type ScriptResult struct {
	Script int    `json:"script"` // 1-based, as in the campaign file's order; 0 for the total
	Text   string `json:"text"`
	// Parts are Text split into its words and its merge fields, for the
	// app to show each field as one unit, named in words, without a parser
	// of its own; absent with no Text (and from servers before 2026-12-06).
	Parts []ScriptPart `json:"parts,omitempty"`
	// Dropped: the campaign file no longer has this script (its contacts
	// were loaded before it went); Text is then empty.
	Dropped   bool `json:"dropped,omitempty"`
	Contacts  int  `json:"contacts"`
	Sent      int  `json:"sent"`
	Delivered int  `json:"delivered"`
	Failed    int  `json:"failed"`
	Replies   int  `json:"replies"`
	// ReplyRate and OptOutRate are replies and optOuts over sent, null
	// (nil) while nothing is sent: a 0 read as texts sent that nobody
	// answered.
	ReplyRate  *float64 `json:"replyRate"`
	OptOuts    int      `json:"optOuts"` // texted numbers now opted out
	OptOutRate *float64 `json:"optOutRate"`
	// Reported: conversations with a report filed. Tags: for each of the
	// action's tag fields, in the report form's order, the conversations
	// whose reports say it now (the latest value of each field), so the
	// A/B test compares what volunteers recorded too ("Will vote"); and
	// for each choice field, one per choice, the conversations whose
	// reports answer it so now ("Support: Strong Supporter"); for each
	// text or number field, the conversations whose reports answer it now,
	// and a number's answers added up ("Voters in household": 212 from 90).
	Reported int        `json:"reported"`
	Tags     []TagCount `json:"tags"`
}

// ScriptPart is a stretch of a script's text (Text), or one of its merge
// fields: Field its name as the script writes it, Label the name in words
// ("First name"), Fallback what a contact without a value gets, if any.
type ScriptPart struct {
	Text     string `json:"text,omitempty"`
	Field    string `json:"field,omitempty"`
	Label    string `json:"label,omitempty"`
	Fallback string `json:"fallback,omitempty"`
}

// TagCount is how many conversations a report tag is on, or (Choice set)
// how many answer a choice field with Choice, or (Kind "text" or
// "number") how many answer a text or number field, with (a number) the
// sum of their answers.
type TagCount struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Choice string `json:"choice,omitempty"`
	// Kind is "text" or "number" for those fields; empty for tags and
	// choices, which Choice tells apart.
	Kind  string  `json:"kind,omitempty"`
	Count int     `json:"count"`
	Sum   float64 `json:"sum,omitempty"` // a number field's answers added up
}

// ActionResults are an action's results per initial script (the A/B
// comparison), and in total.
type ActionResults struct {
	ActionID   string         `json:"actionId"`
	Action     string         `json:"action"` // its title
	ActionType string         `json:"actionType"`
	Scripts    []ScriptResult `json:"scripts"`
	Total      ScriptResult   `json:"total"`
}

// CampaignResults answers GET /api/v1/campaigns/{id}/admin/results (admins
// only): every action of the campaign, in the order they were made.
type CampaignResults struct {
	Actions []ActionResults `json:"actions"`
}

// Where an opt-out came from (AdminOptOut.Source): the store's words.
const (
	OptOutFromReport  = "report"
	OptOutFromContact = "contact"
	OptOutFromBlock   = "block"
	OptOutFromImport  = "import"
)

// AdminOptOutRow is one opted-out conversation of the campaign in the
// Admin section's list of opt-outs (GET .../admin/opt-outs).
type AdminOptOutRow struct {
	ThreadID     string `json:"threadId"`
	ContactName  string `json:"contactName"`
	ContactPhone string `json:"contactPhone"`
	// Blocked: a volunteer reported the contact for abuse and blocked this
	// conversation; their START and Opt Back In lift the organization's
	// opt-out, never the block (nobody replies in it).
	Blocked bool        `json:"blocked,omitempty"`
	OptOut  AdminOptOut `json:"optOut"`
}

// AdminOptOutsResponse is a page of the campaign's opted-out
// conversations, the newest opt-out first, and how many there are in all.
// Next, when more follow, is where the next page starts: ask again with
// ?after= it.
type AdminOptOutsResponse struct {
	OptOuts []AdminOptOutRow `json:"optOuts"`
	Total   int              `json:"total"`
	Next    string           `json:"next,omitempty"`
}
