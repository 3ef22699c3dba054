package client

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/sync"
	"github.com/textbank/textbank/backend/texting"
)

// Event is something the window should hear about without asking.
type Event struct {
	Name    string
	Payload any
}

// Event names.
const (
	// EventInboxChanged carries an InboxChange naming what changed.
	EventInboxChanged = "inbox:changed"
	// EventSyncStatus carries a Status, on every connection or pending
	// change.
	EventSyncStatus = "sync:status"
	// EventReplyNew carries a ReplyNotice, one per new inbound reply (none
	// for the thread open on screen: it is shown and read at once).
	EventReplyNew = "reply:new"
	// EventMutationRejected carries a RejectedNotice.
	EventMutationRejected = "mutation:rejected"
	// EventAdminChanged carries an AdminChange: what a campaign's Admin
	// section shows changed on the server (this user is its admin).
	EventAdminChanged = "admin:changed"
)

// AdminChange names the campaign whose Admin section changed: the window
// reads it again if it shows it.
type AdminChange struct {
	CampaignID string `json:"campaignId"`
}

// InboxChange says what an inbox:changed event is about, so the window
// updates just that.
type InboxChange struct {
	// ThreadIDs are threads whose content or filter membership changed: the
	// window updates those threads and the current campaign's list pages
	// and counts.
	ThreadIDs []string `json:"threadIds"`
	// Threads are the list rows of ThreadIDs as they are now (a thread gone
	// from the cache has none), each with the filters it is listed under:
	// the window puts each in its place in the lists it shows without
	// asking again.
	Threads []ThreadSummary `json:"threads"`
	// Counts are the filter counts of the campaigns of Threads, after the
	// change: the window shows them without asking again.
	Counts    map[string]Counts `json:"counts"`
	Campaigns bool              `json:"campaigns"` // the campaign list changed
	Actions   bool              `json:"actions"`   // some campaign's actions changed
	Queue     bool              `json:"queue"`     // some action's send queue changed
	// All: a large change (the first sync, sign-in or sign-out): every
	// inbox query is stale.
	All bool `json:"all"`
	// Left are the campaigns the volunteer is no longer in (an organizer
	// removed them), gone from the cache with everything of theirs: the
	// window leaves the one on screen and says so.
	Left []LeftCampaign `json:"left"`
	// Seq orders the events, newest highest (numbered as they are told to
	// the window). A transport may deliver them out of order (wails dev
	// writes each event to the browser's socket from a goroutine of its
	// own), and the rows of a late older event would replace newer ones:
	// the window places rows only from an event above the last it placed,
	// and refetches what an older one names instead.
	Seq uint64 `json:"seq"`
}

// LeftCampaign names a campaign the volunteer was taken off.
type LeftCampaign struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func threadChange(ids ...string) InboxChange { return InboxChange{ThreadIDs: ids} }

// ReplyNotice is a new reply, for a desktop notification.
type ReplyNotice struct {
	ThreadID string `json:"threadId"`
	// CampaignID is the thread's campaign, which need not be the one on
	// screen.
	CampaignID string `json:"campaignId,omitempty"`
	// ContactName is how the contact is shown (texting.DisplayName): their
	// name, else their number as people read it; "" when neither is known.
	ContactName string `json:"contactName"`
	Body        string `json:"body"`
	// A conversation reassigned to the user (admins) comes as a notice too:
	// Reassigned set, ReassignedBy who handed it over, Body their note, At
	// when.
	ContactPhone string    `json:"contactPhone,omitempty"`
	At           time.Time `json:"at,omitzero"`
	Reassigned   bool      `json:"reassigned,omitempty"`
	ReassignedBy string    `json:"reassignedBy,omitempty"`
	// A contact an admin opted back in comes as a notice too: OptedBackIn
	// set, OptedBackInBy who, At when, OptOutUndone when it was an undo of
	// a report's opt-out rather than on their START; Body is empty.
	OptedBackIn   bool   `json:"optedBackIn,omitempty"`
	OptedBackInBy string `json:"optedBackInBy,omitempty"`
	OptOutUndone  bool   `json:"optOutUndone,omitempty"`
}

// RejectedNotice is a change the server refused, with why in the volunteer's
// words.
type RejectedNotice struct {
	ID      string `json:"id"`
	Summary string `json:"summary"`
	Reason  string `json:"reason"`
}

// notifier normalises what goes to the window: an inbox:changed without a
// payload (from code that does not know what changed) means everything.
// It numbers the status and inbox events (Status.Seq, InboxChange.Seq) in
// the order they are told.
func notifier(notify func(Event)) func(Event) {
	var statusSeq, inboxSeq atomic.Uint64
	return func(ev Event) {
		if st, ok := ev.Payload.(Status); ok {
			st.Seq = statusSeq.Add(1)
			ev.Payload = st
		}
		if ev.Name == EventInboxChanged && ev.Payload == nil {
			ev.Payload = InboxChange{All: true}
		}
		if ch, ok := ev.Payload.(InboxChange); ok {
			if ch.ThreadIDs == nil {
				ch.ThreadIDs = []string{}
			}
			if ch.Threads == nil {
				ch.Threads = []ThreadSummary{}
			}
			if ch.Counts == nil {
				ch.Counts = map[string]Counts{}
			}
			ch.Seq = inboxSeq.Add(1)
			ev.Payload = ch
		}
		notify(ev)
	}
}

// onChange turns what a sync round did into window events. A reply to the
// thread open on screen was marked read in the transaction that brought it
// (sync.Config.OpenThread), so it never shows as unread; it raises no
// notification either.
func (c *Client) onChange(sum sync.ChangeSummary) {
	// A first text refused because the script changed: the contact is back
	// in the queue (the cache put it there), shown with the server's text
	// from the window's next look at the queue, which the event below asks for.
	renamed := false
	for _, r := range sum.Rejected {
		if r.Code == api.RejectScriptChanged && r.Mutation.Type == api.MutSendInitial && strings.TrimSpace(r.Body) != "" {
			c.mu.Lock()
			c.newText[r.Mutation.ContactID] = r.Body
			c.mu.Unlock()
			renamed = true
		}
	}
	if sum.Profile != nil {
		// Renamed on another computer or by an organizer: the cache holds
		// the new name already (the round's own transaction).
		c.useUser(context.Background(), *sum.Profile)
		renamed = false
	}
	if renamed {
		// The script, or the volunteer's name (changed on another computer):
		// asked, so the next texts are rendered with the name the server uses.
		go c.refreshUser(context.Background())
	}
	open := c.OpenThread()
	var news []ReplyNotice
	for _, n := range sum.NewInbound {
		if open != "" && n.ThreadID == open {
			continue
		}
		news = append(news, ReplyNotice{ThreadID: n.ThreadID, CampaignID: n.CampaignID, ContactName: texting.DisplayName(n.ContactName, n.ContactPhone),
			ContactPhone: n.ContactPhone, Body: n.Body, At: n.At})
	}
	for _, r := range sum.Reassigned {
		news = append(news, ReplyNotice{ThreadID: r.ThreadID, CampaignID: r.CampaignID, ContactName: texting.DisplayName(r.ContactName, r.ContactPhone),
			ContactPhone: r.ContactPhone, Body: r.Note, At: r.At, Reassigned: true, ReassignedBy: r.FromName})
	}
	for _, b := range sum.OptedBackIn {
		news = append(news, ReplyNotice{ThreadID: b.ThreadID, CampaignID: b.CampaignID, ContactName: texting.DisplayName(b.ContactName, b.ContactPhone),
			ContactPhone: b.ContactPhone, At: b.At, OptedBackIn: true, OptedBackInBy: b.ByName, OptOutUndone: b.Undone})
	}
	// Replies, handovers and opt-back-ins oldest first, each with its own
	// time: the notifications' "told up to" mark then moves forward only,
	// and nothing is taken for news told already because a later one in
	// the same pull came first.
	slices.SortStableFunc(news, func(a, b ReplyNotice) int { return a.At.Compare(b.At) })
	change := InboxChange{ThreadIDs: sum.Threads, Campaigns: sum.Campaigns, Actions: sum.Actions, Queue: sum.Queue, All: sum.All}
	for _, l := range sum.Left {
		change.Left = append(change.Left, LeftCampaign{ID: l.ID, Name: l.Name})
	}
	c.rowsMu.Lock() // from the rows' read to their sending (Client.rowsMu)
	if !change.All && len(change.ThreadIDs) > 0 {
		if ch, _, _, err := c.state(); err == nil {
			rows, err := ch.ThreadRows(context.Background(), change.ThreadIDs)
			if err != nil {
				c.log.Warn().Err(err).Msg("read the changed threads' rows for the window")
			}
			change.Threads = summaries(rows)
		}
	}
	c.cfg.Notify(Event{Name: EventInboxChanged, Payload: change})
	c.rowsMu.Unlock()
	for _, n := range news {
		c.cfg.Notify(Event{Name: EventReplyNew, Payload: n})
	}
	// A refused report's field is named as the Outbox names it.
	var names *fieldNames
	if ch, _, _, err := c.state(); err == nil && len(sum.Rejected) > 0 {
		names = newFieldNames(ch)
	}
	for _, r := range sum.Rejected {
		reason := volunteerReason(r.Mutation.Type, r.Code, r.Reason)
		if names != nil {
			reason = names.reason(context.Background(), r.Mutation, r.Mutation.ThreadID, r.Code, r.Reason)
		}
		c.cfg.Notify(Event{Name: EventMutationRejected, Payload: RejectedNotice{
			ID: r.ID, Summary: summarize(r.Mutation, contactLabel(r.ContactName, r.ContactPhone)), Reason: reason,
		}})
	}
}

// contactLabel names a contact by name, or by number when they have none.
func contactLabel(name, phone string) string {
	if s := texting.DisplayName(name, phone); s != "" {
		return s
	}
	return "a contact"
}

// summarize says what a change does in the volunteer's words.
func summarize(m api.Mutation, contact string) string {
	switch m.Type {
	case api.MutSendInitial:
		return "First text to " + contact
	case api.MutReply:
		return "Reply to " + contact
	case api.MutRead:
		return "Mark conversation with " + contact + " as read"
	case api.MutArchive:
		if m.Archived != nil && !*m.Archived {
			return "Unarchive conversation with " + contact
		}
		return "Archive conversation with " + contact
	case api.MutReport:
		return "Report on " + contact
	case api.MutBlock:
		return "Block " + contact
	case api.MutReassign:
		if m.ThreadID == "" {
			return "Reassign all conversations of an action"
		}
		return "Reassign conversation with " + contact
	case api.MutSettings:
		if m.Settings != nil && m.Settings.AutoArchive {
			return "Turn on automatic archive"
		}
		return "Turn off automatic archive"
	}
	return "Change to the conversation with " + contact
}

// volunteerReason says why the server refused a change of type typ in the
// volunteer's words. The server's own reason is kept where it already
// speaks to them (what a report field must hold, when texting hours start).
func volunteerReason(typ, code, reason string) string {
	switch code {
	case api.RejectNotAssigned:
		if typ == api.MutSendInitial {
			// No conversation yet: the contact was handed back (by an
			// organizer, or with the campaign when it was archived).
			return "This contact is no longer assigned to you, so they were not texted. An organizer may have handed them back or archived the campaign."
		}
		return "This conversation is no longer assigned to you."
	case api.RejectRemoved:
		// The server's words name the campaign.
		if reason != "" {
			return reason
		}
		return "You were removed from this campaign by its organizers, so this was not done."
	case api.RejectOptedOut:
		return "This contact has opted out and can't be texted again."
	case api.RejectBlocked:
		return "This contact is blocked."
	case api.RejectRecentlyTexted:
		return "This contact was texted recently by your campaign, so they won't be texted again now."
	case api.RejectFreeText:
		return "This action only allows its response scripts: pick one under Follow Up."
	case api.RejectNoNumber:
		return "You have no sending number in this campaign: it has none in use. Ask an organizer to add numbers."
	case api.RejectProvider:
		return "The text could not be sent. Try again later."
	case api.RejectIDReused:
		// The id and its detail are in the log (sync logs every refusal).
		return "This change was not made: it reached the campaign server under the id of an earlier one. Please do it again."
	case api.RejectQuietHours:
		if reason != "" {
			return "It's outside texting hours for this contact: " + reason
		}
		return "It's outside texting hours for this contact."
	}
	if reason != "" {
		return "The campaign server refused this: " + reason
	}
	return "The campaign server refused this."
}
