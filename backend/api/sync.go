package api

import "encoding/json"

// The sync page (GET /api/v1/sync): what changed for the caller, kind by
// kind, after a cursor.

// Change kinds in a sync page. Data holds the kind's type above
// (Campaign, Action, Assignment, Thread, Message, Report, Settings; for
// Profile, the caller's own account as a User: renamed on another computer
// or by an organizer; for Handover, a Handover).
const (
	KindCampaign   = "campaign"
	KindAction     = "action"
	KindAssignment = "assignment"
	KindThread     = "thread"
	KindMessage    = "message"
	KindReport     = "report"
	KindSettings   = "settings"
	KindProfile    = "profile"
	KindHandover   = "handover"
	// KindContact (change id: the contact's, which is its thread's) is a
	// contact of a conversation the caller holds, as an Assignment: its
	// columns as the caller may see them now, fed when its action stopped
	// showing one. The app replaces its copy of the contact. Deleted: the
	// conversation is no longer the caller's (nothing to replace).
	KindContact = "contact"
)

// Handover (change id: the thread's id) opens a conversation's hand-over
// to a user who held it before: the rows of the conversation the caller
// held are superseded, and its history, then the thread, then the replies
// no one who held it had read follow. An app that may still hold the
// conversation from before drops its copy of the thread, so that the
// hand-over reads as one of a conversation new to it (docs/API.md, Sync).
type Handover struct {
	ThreadID string `json:"threadId"`
}

// Change is one entity as it is now. Deleted means the caller may no longer
// see it (a thread reassigned away, an assignment texted or released).
type Change struct {
	Version int64           `json:"version"`
	Kind    string          `json:"kind"`
	ID      string          `json:"id"`
	Deleted bool            `json:"deleted,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// SyncPageBytes bounds a sync page by size as limit bounds it by count: the
// server ends a page at the last version whose changes (Change.JSONSize)
// keep it within SyncPageBytes, sets More, and the app asks for the rest.
// Without it a page of 500 contacts of 200 long columns (some 600 KB each,
// escaped) would pass the app's cap on an answer (maxAnswerBody, client.go)
// and the app could never sync again: every retry asks for the same page.
// A page always carries its first version whatever its size, so one change
// too large still goes through: the largest is an assignment or contact
// (contactcsv.MaxColumns columns of contactcsv.MaxValue characters, some
// 0.6 MB) or an action (campaignfile's limits, some 2 MB), and a first text
// is three changes at one version (assignment, thread, message), all well
// under the cap, which must stay several times this (client.go checks).
const SyncPageBytes = 8 << 20

// SyncResponse answers GET /api/v1/sync?cursor=&limit=. Apply Changes in
// order, then store Cursor; ask again while More is true.
type SyncResponse struct {
	Changes []Change `json:"changes"`
	Cursor  int64    `json:"cursor"`
	More    bool     `json:"more"`
}
