package server

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
)

// textingContact and textingVolunteer speak the rules package's types.
func textingContact(c store.Contact) texting.Contact {
	return texting.Contact{FirstName: c.FirstName, LastName: c.LastName, Zip: c.Zip, Fields: c.Fields}
}

func textingVolunteer(u store.User) texting.Volunteer {
	return texting.Volunteer{Name: u.Name}
}

func contactName(c store.Contact) string {
	return texting.FullName(c.FirstName, c.LastName)
}

func (s *Server) applySendInitial(ctx context.Context, tx store.Tx, u store.User, m api.Mutation, now time.Time) (api.MutationResult, *outbound, error) {
	if m.ContactID == "" || m.MessageID == "" || len(m.MessageID) > maxMutationID {
		return rejected(m.ID, api.RejectInvalid, "send_initial needs a contactId and a messageId"), nil, nil
	}
	c, err := tx.ContactByID(ctx, m.ContactID)
	if errors.Is(err, store.ErrNotFound) {
		// The words of a contact of a campaign the caller has not joined
		// (below): an outsider is not told whether an id exists.
		return rejected(m.ID, api.RejectNotAssigned, "contact %s is not assigned to you", m.ContactID), nil, nil
	}
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	name := texting.DisplayName(contactName(c), c.Phone) // for refusals; the thread stores the name alone
	if c.State != store.ContactAssigned || c.AssignedTo != u.ID || (m.ActionID != "" && m.ActionID != c.ActionID) {
		// Named only to a member of the contact's campaign: a contact id
		// from elsewhere learns nothing of whose it is.
		if _, _, member, err := tx.MemberAction(ctx, c.ActionID, u.ID); err != nil || !member {
			return rejected(m.ID, api.RejectNotAssigned, "contact %s is not assigned to you", m.ContactID), nil, err
		}
		return rejected(m.ID, api.RejectNotAssigned, "%s is no longer assigned to you", name), nil, nil
	}
	a, err := tx.ActionByID(ctx, c.ActionID)
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	// Every check of the text in one statement: the writer is one
	// connection, and each statement it runs is time every other
	// volunteer's send waits.
	since := texting.InitialLockStart(now)
	chk, err := tx.SendChecks(ctx, store.SendCheck{CampaignID: a.CampaignID, UserID: u.ID, Phone: c.Phone,
		MessageID: m.MessageID, InitialSince: &since})
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if rej := unreachable(chk, m.ID, name); rej != nil {
		return s.refuseAndRelease(ctx, tx, c, *rej)
	}
	if chk.RecentInitial {
		return s.refuseAndRelease(ctx, tx, c, rejected(m.ID, api.RejectRecentlyTexted,
			"%s already got a first text from this organization in the last %d hours", name, int(texting.InitialLock/time.Hour)))
	}
	if err := texting.CheckHours(now, c.Phone, texting.Hours(a.TextingHours)); err != nil {
		var outside *texting.OutsideHoursError
		if errors.As(err, &outside) {
			return rejected(m.ID, api.RejectQuietHours, "%s", texting.HoursRefusal(name, c.Phone, now, texting.Hours(a.TextingHours))), nil, nil
		}
		// Hours that cannot be checked are never a licence to text.
		return rejected(m.ID, api.RejectInvalid, "%s", err.Error()), nil, nil
	}
	body, err := texting.RenderInitial(a.Scripts, c.ScriptIndex, textingContact(c), textingVolunteer(u))
	if errors.Is(err, texting.ErrNoScript) {
		return s.refuseAndRelease(ctx, tx, c, rejected(m.ID, api.RejectInvalid, "action %q has no script", a.Title))
	}
	if err != nil {
		return s.refuseAndRelease(ctx, tx, c, rejected(m.ID, api.RejectInvalid, "%v", err))
	}
	if m.Body != "" && m.Body != body {
		// The volunteer must send what they saw: show them the new text.
		r := rejected(m.ID, api.RejectScriptChanged, "the script for %s changed since your app showed it; check the new text and send again", name)
		r.Body = body
		return r, nil, nil
	}
	if chk.MessageIDTaken {
		return messageIDTaken(m), nil, nil
	}
	number := chk.Number
	if number == "" {
		// Joined before the campaign had numbers: take one now, after
		// every refusal, since a refused text's transaction still commits.
		number, err = tx.AssignSendingNumber(ctx, a.CampaignID, u.ID, now)
		if errors.Is(err, store.ErrNotFound) {
			return rejected(m.ID, api.RejectNoNumber, "you have no sending number in %q: the campaign has none in use; ask the organizer to add numbers", chk.CampaignName), nil, nil
		}
		if err != nil {
			return api.MutationResult{}, nil, err
		}
	}
	th := store.Thread{
		ID: c.ID, ActionID: a.ID, CampaignID: a.CampaignID, OrganizationID: chk.OrganizationID, OwnerID: u.ID,
		ContactName: contactName(c), ContactPhone: c.Phone, SendingNumber: number,
		LastMessageAt: now, LastOutboundAt: &now, CreatedAt: now,
	}
	if err := tx.CreateThread(ctx, th); err != nil {
		return api.MutationResult{}, nil, err
	}
	msg := store.Message{ID: m.MessageID, ThreadID: th.ID, Direction: api.DirOutbound, Body: body,
		Initial: true, SenderID: u.ID, CreatedAt: now}
	send := s.newOutbound(tx, &msg, th)
	if err := tx.CreateMessage(ctx, msg); err != nil {
		return api.MutationResult{}, nil, err
	}
	if err := tx.SetContactState(ctx, c.ID, store.ContactTexted); err != nil {
		return api.MutationResult{}, nil, err
	}
	// One feed row for the assignment, the thread and the message
	// (store.FeedFirstText).
	if err := feed(ctx, tx, now, u.ID, store.FeedFirstText, msg.ID); err != nil {
		return api.MutationResult{}, nil, err
	}
	return applied(m.ID), send, nil
}

// refuseAndRelease refuses a first text for a reason that lasts (the
// number opted out or is blocked, was texted by the organization hours ago,
// or the script cannot be filled in for it) and, in the same transaction,
// hands the contact back to the pool. The app drops a contact refused so
// from its queue; kept assigned, it would be handed back at every Text
// Again before any new contact, and the volunteer could text no one else.
// Back in the pool, a hand-out skips what it must (opt-outs, scripts that
// cannot be filled in); another volunteer may text it once the 6 hours
// have passed.
func (s *Server) refuseAndRelease(ctx context.Context, tx store.Tx, c store.Contact, r api.MutationResult) (api.MutationResult, *outbound, error) {
	if _, err := s.release(ctx, tx, c.ActionID, c.AssignedTo, []string{c.ID}); err != nil {
		return api.MutationResult{}, nil, err
	}
	return r, nil, nil
}

// unreachable rejects texting an opted-out or blocked number.
func unreachable(chk store.SendChecks, mutID, name string) *api.MutationResult {
	var r api.MutationResult
	switch {
	case chk.OptedOut:
		r = rejected(mutID, api.RejectOptedOut, "%s has opted out of texts from this organization", name)
	case chk.Blocked:
		r = rejected(mutID, api.RejectBlocked, "you blocked %s", name)
	default:
		return nil
	}
	return &r
}

// messageIDTaken rejects a message id some other message already has.
func messageIDTaken(m api.Mutation) api.MutationResult {
	return rejected(m.ID, api.RejectInvalid, "message id %s is already used", m.MessageID)
}

func (s *Server) applyReply(ctx context.Context, tx store.Tx, u store.User, m api.Mutation, now time.Time) (api.MutationResult, *outbound, error) {
	body := strings.TrimSpace(m.Body)
	if m.MessageID == "" || len(m.MessageID) > maxMutationID {
		return rejected(m.ID, api.RejectInvalid, "reply needs a messageId"), nil, nil
	}
	if err := texting.CheckLength(body); err != nil {
		return rejected(m.ID, api.RejectInvalid, "the reply cannot be sent: %v", err), nil, nil
	}
	th, rej, err := ownedThread(ctx, tx, u, m)
	if rej != nil || err != nil {
		return deref(rej), nil, err
	}
	name := texting.DisplayName(th.ContactName, th.ContactPhone)
	if th.OptedOut {
		return rejected(m.ID, api.RejectOptedOut, "%s has opted out of texts from this organization", name), nil, nil
	}
	chk, err := tx.SendChecks(ctx, store.SendCheck{CampaignID: th.CampaignID, UserID: u.ID, Phone: th.ContactPhone,
		MessageID: m.MessageID})
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if rej := unreachable(chk, m.ID, name); rej != nil {
		return *rej, nil, nil
	}
	a, err := tx.ActionByID(ctx, th.ActionID)
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	// The contact's record, read once for both uses of it: the prepared
	// scripts' check, and the check of a named script's tags.
	var c store.Contact
	if !a.AllowFreeText || m.ResponseScriptID != "" {
		if c, err = tx.ContactByID(ctx, th.ID); err != nil {
			return api.MutationResult{}, nil, err
		}
	}
	// The script named, as the volunteer's app showed it: one an organizer
	// edited since is still a prepared script, and files its tags.
	sent, err := sentScript(ctx, tx, a, c, th, u, m, body, now)
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if !a.AllowFreeText && sent == nil && !preparedScript(a.ResponseScripts, c, th, u, body) {
		return rejected(m.ID, api.RejectFreeText, "%q only allows the prepared response scripts", a.Title), nil, nil
	}
	if chk.MessageIDTaken {
		return messageIDTaken(m), nil, nil
	}
	// A reply goes from the conversation's own number (newOutbound): the
	// sender needs none of their own.
	reach := answerReach(th, m, now)
	msg := store.Message{ID: m.MessageID, ThreadID: th.ID, Direction: api.DirOutbound, Body: body,
		SenderID: u.ID, CreatedAt: now, AnswersThrough: &reach}
	send := s.newOutbound(tx, &msg, th)
	if err := tx.CreateMessage(ctx, msg); err != nil {
		return api.MutationResult{}, nil, err
	}
	reportAt := th.LastReportAt
	if err := fileScriptTags(ctx, tx, u, &th, a, sent, m, now); err != nil {
		return api.MutationResult{}, nil, err
	}
	answered := answeredThrough(th, m, now)
	if th.LastReportAt != reportAt {
		// The script filed tags: the thread's report time moves too.
		th.LastMessageAt, th.LastOutboundAt, th.AnsweredThrough = now, &now, &answered
		err = tx.UpdateThread(ctx, th)
	} else {
		err = tx.ThreadActivity(ctx, th.ID, now, nil, &now, &answered)
	}
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if err := feed(ctx, tx, now, u.ID, api.KindThread, th.ID, api.KindMessage, msg.ID); err != nil {
		return api.MutationResult{}, nil, err
	}
	return applied(m.ID), send, nil
}

// preparedScript says whether body (trimmed) is one of scripts filled in:
// as the contact's record fills it, or as a desktop that was handed the
// conversation does, from its name alone (texting.ContactFromName).
func preparedScript(scripts []store.ResponseScript, c store.Contact, th store.Thread, u store.User, body string) bool {
	v := textingVolunteer(u)
	for _, who := range []texting.Contact{textingContact(c), texting.ContactFromName(th.ContactName)} {
		for _, rs := range scripts {
			rendered, err := texting.Render(rs.Body, who, v)
			if err == nil && strings.TrimSpace(rendered) == body {
				return true
			}
		}
	}
	return false
}
