package app

import "github.com/textbank/textbank/backend/client"

// Events is bound to the window only so that Wails generates the TypeScript
// types of the event payloads: it generates types for what bound methods
// take and return, and nothing returns these. frontend/src/backend.ts takes
// its event types from the generated models instead of copying the Go
// structs by hand. The window never calls it.
type Events struct{}

// EventPayloads names the payload type of every Go event the window
// listens to (each field is named after its event).
type EventPayloads struct {
	InboxChanged     client.InboxChange    `json:"inboxChanged"`     // inbox:changed
	SyncStatus       client.Status         `json:"syncStatus"`       // sync:status
	ReplyNew         client.ReplyNotice    `json:"replyNew"`         // reply:new
	MutationRejected client.RejectedNotice `json:"mutationRejected"` // mutation:rejected
	AdminChanged     client.AdminChange    `json:"adminChanged"`     // admin:changed
	ServerBusyRetry  BusyRetry             `json:"serverBusyRetry"`  // server:busy-retry
}

// BusyRetry says that a call the window waits on was refused by a busy
// server and is asked again in Seconds: Call names the bound method's
// kind (the Call* constants) and Key its subject (an action, a text, an
// opt-in; "" when there is one at a time), so the window shows "Server
// busy, trying again" beside that call's control only.
type BusyRetry struct {
	Call    string `json:"call"`
	Key     string `json:"key"`
	Seconds int    `json:"seconds"`
}

// The calls that tell of a busy server's retries.
const (
	CallSignUp     = "signUp"
	CallSignIn     = "signIn"
	CallJoin       = "join"
	CallTextAgain  = "textAgain"
	CallRelease    = "release"
	CallMark       = "mark" // an Admin row marked handled or reviewed, or open again
	CallOptBackIn  = "optBackIn"
	CallUndoOptOut = "undoOptOut"
)

// Payloads returns the zero value: it exists for its type.
func (*Events) Payloads() EventPayloads { return EventPayloads{} }
