package client

import (
	"fmt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/sync"
)

// Event is something the window should hear about without asking.
type Event struct {
	Name    string
	Payload any
}

// Event names.
const (
	// EventInboxChanged: counts, lists or the open thread may have changed.
	EventInboxChanged = "inbox:changed"
	// EventSyncStatus carries a Status.
	EventSyncStatus = "sync:status"
	// EventReplyNew carries a ReplyNotice, one per new inbound reply.
	EventReplyNew = "reply:new"
	// EventMutationRejected carries a RejectedNotice.
	EventMutationRejected = "mutation:rejected"
)

// ReplyNotice is a new reply, for a desktop notification.
type ReplyNotice struct {
	ThreadID    string `json:"threadId"`
	ContactName string `json:"contactName"`
	Body        string `json:"body"`
}

// RejectedNotice is a mutation the server refused, with why.
type RejectedNotice struct {
	ID      string `json:"id"`
	Summary string `json:"summary"`
	Reason  string `json:"reason"`
}

func (c *Client) onChange(sum sync.ChangeSummary) {
	c.cfg.Notify(Event{Name: EventInboxChanged})
	for _, n := range sum.NewInbound {
		c.cfg.Notify(Event{Name: EventReplyNew, Payload: ReplyNotice{ThreadID: n.ThreadID, ContactName: n.ContactName, Body: n.Body}})
	}
	for _, r := range sum.Rejected {
		c.cfg.Notify(Event{Name: EventMutationRejected, Payload: RejectedNotice{
			ID: r.ID, Summary: summarize(r.Type, r.ContactName, nil), Reason: r.Reason,
		}})
	}
}

// summarize says what a mutation does in the volunteer's words.
func summarize(typ, contact string, m *api.Mutation) string {
	if contact == "" {
		contact = "a contact"
	}
	switch typ {
	case api.MutSendInitial:
		return "First text to " + contact
	case api.MutReply:
		return "Reply to " + contact
	case api.MutRead:
		return "Mark " + contact + " as read"
	case api.MutArchive:
		if m != nil && m.Archived != nil && !*m.Archived {
			return "Unarchive " + contact
		}
		return "Archive " + contact
	case api.MutReport:
		return "Report on " + contact
	case api.MutSettings:
		return "Change settings"
	}
	return fmt.Sprintf("%s (%s)", typ, contact)
}
