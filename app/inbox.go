package app

import (
	"sync"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
)

// Inbox is bound to the window: filters, thread list, the open thread.
type Inbox struct {
	core *Core

	openMu  sync.Mutex
	openSeq int // the newest SetOpenThread call applied
}

func NewInbox(core *Core) *Inbox { return &Inbox{core: core} }

func (i *Inbox) Counts(campaignID string) (client.Counts, error) {
	v, err := i.core.Client.Counts(i.core.context(), campaignID)
	return v, i.core.said("Inbox.Counts", err)
}

func (i *Inbox) Threads(filter, campaignID, query string, offset, limit int) ([]client.ThreadSummary, error) {
	v, err := i.core.Client.Threads(i.core.context(), filter, campaignID, query, offset, limit)
	return v, i.core.said("Inbox.Threads", err)
}

func (i *Inbox) Thread(id string) (client.ThreadView, error) {
	v, err := i.core.Client.Thread(i.core.context(), id)
	return v, i.core.said("Inbox.Thread", err)
}

func (i *Inbox) MarkRead(id string) error {
	return i.core.said("Inbox.MarkRead", i.core.Client.MarkRead(i.core.context(), id))
}

func (i *Inbox) SendReply(threadID, body, responseScriptID string) error {
	return i.core.said("Inbox.SendReply", i.core.Client.SendReply(i.core.context(), threadID, body, responseScriptID))
}

func (i *Inbox) Archive(threadID string, archived bool) error {
	return i.core.said("Inbox.Archive", i.core.Client.Archive(i.core.context(), threadID, archived))
}

func (i *Inbox) Outbox() ([]client.PendingMutation, error) {
	v, err := i.core.Client.Outbox(i.core.context())
	return v, i.core.said("Inbox.Outbox", err)
}

func (i *Inbox) DismissRejected(id string) error {
	return i.core.said("Inbox.DismissRejected", i.core.Client.DismissRejected(i.core.context(), id))
}

// DiscardFailing gives up on a change the campaign server keeps failing.
func (i *Inbox) DiscardFailing(id string) error {
	return i.core.said("Inbox.DiscardFailing", i.core.Client.DiscardFailing(i.core.context(), id))
}

// Settings are the volunteer's settings (Automatic Archive).
func (i *Inbox) Settings() (client.Settings, error) {
	v, err := i.core.Client.Settings(i.core.context())
	return v, i.core.said("Inbox.Settings", err)
}

// SetAutoArchive turns the Automatic Archive Setting on or off.
func (i *Inbox) SetAutoArchive(on bool) error {
	return i.core.said("Inbox.SetAutoArchive", i.core.Client.SetAutoArchive(i.core.context(), on))
}

// SetOpenThread says which thread is on screen ("" for none): its replies
// are shown and read at once, without a notification. seq numbers the
// window's calls: Wails runs each bound call on a goroutine of its own, so
// J/K's "A, none, B" can arrive in any order, and only the newest counts.
func (i *Inbox) SetOpenThread(threadID string, seq int) {
	i.openMu.Lock()
	defer i.openMu.Unlock()
	if seq <= i.openSeq {
		return
	}
	i.openSeq = seq
	i.core.Client.SetOpenThread(threadID)
	i.core.SetOpenThread(threadID) // the notification policy's view of the screen
}

// SubmitReport files a report on a thread (values by report field key).
func (i *Inbox) SubmitReport(threadID string, values map[string]string) error {
	return i.core.said("Inbox.SubmitReport", i.core.Client.SubmitReport(i.core.context(), threadID, values))
}

// BlockContact reports a contact for abuse (reason: one of api.BlockReasons)
// and blocks them: opted out, hidden from the volunteer, shown to the admins.
func (i *Inbox) BlockContact(threadID, reason, note string) error {
	return i.core.said("Inbox.BlockContact", i.core.Client.BlockContact(i.core.context(), threadID, reason, note))
}

// ReassignTargets lists who a thread of the campaign can be handed to: the
// campaign's admins, the action's creator first.
func (i *Inbox) ReassignTargets(actionID string) ([]api.User, error) {
	v, err := i.core.Client.ReassignTargets(i.core.context(), actionID)
	return v, i.core.said("Inbox.ReassignTargets", err)
}

// Reassign hands one thread to an admin, with an optional note.
func (i *Inbox) Reassign(threadID, toUserID, note string) error {
	return i.core.said("Inbox.Reassign", i.core.Client.Reassign(i.core.context(), threadID, toUserID, note))
}

// ReassignableCount is how many threads of the action the volunteer holds
// (for the Reassign All Conversations confirmation).
func (i *Inbox) ReassignableCount(actionID string) (int, error) {
	v, err := i.core.Client.ReassignableCount(i.core.context(), actionID)
	return v, i.core.said("Inbox.ReassignableCount", err)
}

// ReassignAll hands every thread of the action the volunteer holds to an
// admin and returns how many.
func (i *Inbox) ReassignAll(actionID, toUserID, note string) (int, error) {
	v, err := i.core.Client.ReassignAll(i.core.context(), actionID, toUserID, note)
	return v, i.core.said("Inbox.ReassignAll", err)
}
