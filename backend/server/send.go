package server

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/quiethours"
	"github.com/textbank/textbank/backend/script"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

const (
	// recentInitial is how long a number is spared a second initial text
	// from the same organization, whatever happens to assignments.
	recentInitial = 6 * time.Hour
	maxText       = 1600 // ten segments; providers refuse longer
	providerWait  = 30 * time.Second
)

// MergeValues are the merge fields for a contact texted by volunteer: the
// contact's custom columns, then the standard fields (which win).
func MergeValues(c store.Contact, volunteer store.User) map[string]string {
	vals := make(map[string]string, len(c.Fields)+6)
	for k, v := range c.Fields {
		vals[k] = v
	}
	vals["first_name"] = c.FirstName
	vals["last_name"] = c.LastName
	vals["full_name"] = strings.TrimSpace(c.FirstName + " " + c.LastName)
	vals["zip"] = c.Zip
	vals["volunteer_name"] = volunteer.Name
	first, _, _ := strings.Cut(strings.TrimSpace(volunteer.Name), " ")
	vals["volunteer_first_name"] = first
	return vals
}

func contactName(c store.Contact) string {
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
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
	name := contactName(c)
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
	recent, err := tx.InitialSentSince(ctx, camp.OrganizationID, c.Phone, now.Add(-recentInitial))
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if recent {
		return rejected(m.ID, api.RejectRecentlyTexted, "%s already got a first text from this organization in the last 6 hours", name), nil, nil
	}
	if err := quiethours.Check(now, c.Phone, a.TextingHours); err != nil {
		var outside *quiethours.OutsideError
		if errors.As(err, &outside) {
			return rejected(m.ID, api.RejectQuietHours, "%s", err.Error()), nil, nil
		}
		// Hours that cannot be checked are never a licence to text.
		return rejected(m.ID, api.RejectInvalid, "%s", err.Error()), nil, nil
	}
	number, err := tx.SendingNumber(ctx, camp.ID, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return rejected(m.ID, api.RejectNoNumber, "you have no sending number in %q yet; ask the organizer to add numbers", camp.Name), nil, nil
	}
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if len(a.Scripts) == 0 {
		return rejected(m.ID, api.RejectInvalid, "action %q has no script", a.Title), nil, nil
	}
	tmpl := a.Scripts[((c.ScriptIndex%len(a.Scripts))+len(a.Scripts))%len(a.Scripts)]
	body, err := script.Render(tmpl, MergeValues(c, u))
	if err != nil {
		return rejected(m.ID, api.RejectInvalid, "the script cannot be filled in for %s: %v", name, err), nil, nil
	}
	if rej, err := checkMessageID(ctx, tx, m); rej != nil || err != nil {
		return deref(rej), nil, err
	}
	th := store.Thread{
		ID: c.ID, ActionID: a.ID, CampaignID: camp.ID, OrganizationID: camp.OrganizationID, OwnerID: u.ID,
		ContactName: name, ContactPhone: c.Phone, SendingNumber: number,
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
	return applied(m.ID), &outbound{messageID: msg.ID, ownerID: u.ID, from: number, to: c.Phone, body: body}, nil
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
	switch {
	case m.MessageID == "" || len(m.MessageID) > maxMutationID:
		return rejected(m.ID, api.RejectInvalid, "reply needs a messageId"), nil, nil
	case body == "":
		return rejected(m.ID, api.RejectInvalid, "the reply is empty"), nil, nil
	case utf8.RuneCountInString(body) > maxText:
		return rejected(m.ID, api.RejectInvalid, "the reply is longer than %d characters", maxText), nil, nil
	}
	th, rej, err := ownedThread(ctx, tx, u, m)
	if rej != nil || err != nil {
		return deref(rej), nil, err
	}
	if th.OptedOut {
		return rejected(m.ID, api.RejectOptedOut, "%s has opted out of texts from this organization", th.ContactName), nil, nil
	}
	if rej, err := checkReachable(ctx, tx, m.ID, th.OrganizationID, u.ID, th.ContactPhone, th.ContactName); rej != nil || err != nil {
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
		if !matchesResponseScript(a.ResponseScripts, MergeValues(c, u), body) {
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
	th.LastMessageAt, th.LastOutboundAt = now, &now
	if err := tx.UpdateThread(ctx, th); err != nil {
		return api.MutationResult{}, nil, err
	}
	if err := feed(ctx, tx, now, u.ID, api.KindThread, th.ID, api.KindMessage, msg.ID); err != nil {
		return api.MutationResult{}, nil, err
	}
	return applied(m.ID), &outbound{messageID: msg.ID, ownerID: u.ID, from: th.SendingNumber, to: th.ContactPhone, body: body}, nil
}

func matchesResponseScript(scripts []api.ResponseScript, vals map[string]string, body string) bool {
	for _, rs := range scripts {
		rendered, err := script.Render(rs.Body, vals)
		if err == nil && strings.TrimSpace(rendered) == body {
			return true
		}
	}
	return false
}

// deliver hands a committed, queued text to the provider and records the
// outcome. It runs even if the request that caused it went away: the text
// is already promised.
func (s *Server) deliver(ctx context.Context, o outbound) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), providerWait)
	defer cancel()
	providerID, sendErr := s.provider.Send(ctx, sms.Outbound{From: o.from, To: o.to, Body: o.body, IdempotencyKey: o.messageID})
	status, errText := api.StatusSent, ""
	var sentAt *time.Time
	if sendErr != nil {
		status, errText, providerID = api.StatusFailed, sendErr.Error(), ""
		s.log.Error().Err(sendErr).Str("message", o.messageID).Msg("provider refused text")
	} else {
		now := s.clock()
		sentAt = &now
	}
	err := s.update(ctx, func(tx store.Tx) error {
		err := tx.SetMessageStatus(ctx, o.messageID, status, providerID, errText, sentAt)
		if errors.Is(err, store.ErrDuplicate) {
			// The text went out; a provider id we already hold for another
			// message must not leave this one looking unsent.
			s.log.Error().Str("message", o.messageID).Str("provider_id", providerID).Msg("provider reused a message id")
			err = tx.SetMessageStatus(ctx, o.messageID, status, "", errText, sentAt)
		}
		if err != nil {
			return err
		}
		return feed(ctx, tx, s.clock(), o.ownerID, api.KindMessage, o.messageID)
	})
	if err != nil {
		s.log.Error().Err(err).Str("message", o.messageID).Str("status", status).Msg("record text status")
	}
}
