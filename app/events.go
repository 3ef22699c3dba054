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
	// ServerBusyRetry: the seconds until a busy server is asked again.
	ServerBusyRetry int `json:"serverBusyRetry"` // server:busy-retry
}

// Payloads returns the zero value: it exists for its type.
func (*Events) Payloads() EventPayloads { return EventPayloads{} }
