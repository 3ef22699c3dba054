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

// SyncResponse answers GET /api/v1/sync?cursor=&limit=. Apply Changes in
// order, then store Cursor; ask again while More is true.
type SyncResponse struct {
	Changes []Change `json:"changes"`
	Cursor  int64    `json:"cursor"`
	More    bool     `json:"more"`
}
