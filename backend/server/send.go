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
		return rejected(m.ID, api.RejectNotAssigned, "no contact has id %s", m.ContactID), nil, nil
	}
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	name := texting.DisplayName(contactName(c), c.Phone) // for refusals; the thread stores the name alone
	if c.State != store.ContactAssigned || c.AssignedTo != u.ID || (m.ActionID != "" && m.ActionID != c.ActionID) {
		return rejected(m.ID, api.RejectNotAssigned, "%s is no longer assigned to you", name), nil, nil
	}
	a, err := tx.ActionByID(ctx, c.ActionID)
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	camp, err := tx.CampaignByID(ctx, a.CampaignID)
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if rej, err := checkReachable(ctx, tx, m.ID, camp.OrganizationID, u.ID, c.Phone, name); rej != nil || err != nil {
		return deref(rej), nil, err
	}
	recent, err := tx.InitialSentSince(ctx, camp.OrganizationID, c.Phone, texting.InitialLockStart(now))
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if recent {
		return rejected(m.ID, api.RejectRecentlyTexted, "%s already got a first text from this organization in the last 6 hours", name), nil, nil
	}
	if err := texting.CheckHours(now, c.Phone, texting.Hours(a.TextingHours)); err != nil {
		var outside *texting.OutsideHoursError
		if errors.As(err, &outside) {
			return rejected(m.ID, api.RejectQuietHours, "%s", texting.HoursRefusal(name, c.Phone, now, texting.Hours(a.TextingHours))), nil, nil
		}
		// Hours that cannot be checked are never a licence to text.
		return rejected(m.ID, api.RejectInvalid, "%s", err.Error()), nil, nil
	}
	number, err := tx.SendingNumber(ctx, camp.ID, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		// Joined before the campaign had numbers: take one now.
		number, err = tx.AssignSendingNumber(ctx, camp.ID, u.ID, now)
	}
	if errors.Is(err, store.ErrNotFound) {
		return rejected(m.ID, api.RejectNoNumber, "you have no sending number in %q yet; ask the organizer to add numbers", camp.Name), nil, nil
	}
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	body, err := texting.RenderInitial(a.Scripts, c.ScriptIndex, textingContact(c), textingVolunteer(u))
	if errors.Is(err, texting.ErrNoScript) {
		return rejected(m.ID, api.RejectInvalid, "action %q has no script", a.Title), nil, nil
	}
	if err != nil {
		return rejected(m.ID, api.RejectInvalid, "%v", err), nil, nil
	}
	if m.Body != "" && m.Body != body {
		// The volunteer must send what they saw: show them the new text.
		r := rejected(m.ID, api.RejectScriptChanged, "the script for %s changed since your app showed it; check the new text and send again", name)
		r.Body = body
		return r, nil, nil
	}
	if rej, err := checkMessageID(ctx, tx, m); rej != nil || err != nil {
		return deref(rej), nil, err
	}
	th := store.Thread{
		ID: c.ID, ActionID: a.ID, CampaignID: camp.ID, OrganizationID: camp.OrganizationID, OwnerID: u.ID,
		ContactName: contactName(c), ContactPhone: c.Phone, SendingNumber: number,
		LastMessageAt: now, LastOutboundAt: &now, CreatedAt: now,
	}
	if err := tx.CreateThread(ctx, th); err != nil {
		return api.MutationResult{}, nil, err
	}
	msg := store.Message{ID: m.MessageID, ThreadID: th.ID, Direction: api.DirOutbound, Body: body,
		Status: api.StatusQueued, Initial: true, SenderID: u.ID, CreatedAt: now}
	if err := tx.CreateMessage(ctx, msg); err != nil {
		return api.MutationResult{}, nil, err
	}
	if err := tx.SetContactState(ctx, c.ID, store.ContactTexted); err != nil {
		return api.MutationResult{}, nil, err
	}
	if err := feed(ctx, tx, now, u.ID, api.KindAssignment, c.ID, api.KindThread, th.ID, api.KindMessage, msg.ID); err != nil {
		return api.MutationResult{}, nil, err
	}
	return applied(m.ID), &outbound{messageID: msg.ID}, nil
}

// checkReachable rejects texting an opted-out or blocked number.
func checkReachable(ctx context.Context, tx store.Tx, mutID, orgID, userID, phone, name string) (*api.MutationResult, error) {
	opted, err := tx.IsOptedOut(ctx, orgID, phone)
	if err != nil {
		return nil, err
	}
	if opted {
		r := rejected(mutID, api.RejectOptedOut, "%s has opted out of texts from this organization", name)
		return &r, nil
	}
	blocked, err := tx.IsBlocked(ctx, userID, phone)
	if err != nil {
		return nil, err
	}
	if blocked {
		r := rejected(mutID, api.RejectBlocked, "you blocked %s", name)
		return &r, nil
	}
	return nil, nil
}

// checkMessageID rejects a message id some other message already has.
func checkMessageID(ctx context.Context, tx store.Tx, m api.Mutation) (*api.MutationResult, error) {
	_, err := tx.MessageByID(ctx, m.MessageID)
	if err == nil {
		r := rejected(m.ID, api.RejectInvalid, "message id %s is already used", m.MessageID)
		return &r, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return nil, nil
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
	if rej, err := checkReachable(ctx, tx, m.ID, th.OrganizationID, u.ID, th.ContactPhone, name); rej != nil || err != nil {
		return deref(rej), nil, err
	}
	a, err := tx.ActionByID(ctx, th.ActionID)
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if !a.AllowFreeText {
		c, err := tx.ContactByID(ctx, th.ID)
		if err != nil {
			return api.MutationResult{}, nil, err
		}
		if !matchesResponseScript(a.ResponseScripts, textingContact(c), textingVolunteer(u), body) {
			return rejected(m.ID, api.RejectFreeText, "%q only allows the prepared response scripts", a.Title), nil, nil
		}
	}
	if rej, err := checkMessageID(ctx, tx, m); rej != nil || err != nil {
		return deref(rej), nil, err
	}
	msg := store.Message{ID: m.MessageID, ThreadID: th.ID, Direction: api.DirOutbound, Body: body,
		Status: api.StatusQueued, SenderID: u.ID, CreatedAt: now}
	if err := tx.CreateMessage(ctx, msg); err != nil {
		return api.MutationResult{}, nil, err
	}
	if err := fileScriptTags(ctx, tx, u, &th, a, m, now); err != nil {
		return api.MutationResult{}, nil, err
	}
	th.LastMessageAt, th.LastOutboundAt = now, &now
	if err := tx.UpdateThread(ctx, th); err != nil {
		return api.MutationResult{}, nil, err
	}
	if err := feed(ctx, tx, now, u.ID, api.KindThread, th.ID, api.KindMessage, msg.ID); err != nil {
		return api.MutationResult{}, nil, err
	}
	return applied(m.ID), &outbound{messageID: msg.ID}, nil
}

func matchesResponseScript(scripts []api.ResponseScript, c texting.Contact, v texting.Volunteer, body string) bool {
	for _, rs := range scripts {
		rendered, err := texting.Render(rs.Body, c, v)
		if err == nil && strings.TrimSpace(rendered) == body {
			return true
		}
	}
	return false
}
