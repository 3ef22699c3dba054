package server

import (
	"context"
	"errors"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
)

// A first text is checked twice over. The writer is one connection, and
// every statement and every CPU cycle spent holding it is time every other
// volunteer's send waits; so a push's first texts are first checked on a
// read snapshot, outside the writer: the contact, the action, the
// volunteer's sending number, texting hours and the rendered script (and,
// when the action is not known yet, the number's opt-out, block and
// 6-hour lock); a contact this server handed out and an action it knows
// are checked from memory, with no read at all. Inside the writer one
// statement
// (store.ClaimInitial) then re-checks what can have changed meanwhile and
// moves the contact to texted, and the text is written. When anything
// changed, or the read side found any reason to refuse, the mutation takes
// the full path (applySendInitial), which decides and words the refusal as
// before: the fast path only ever applies what the full path would apply.

// initialPlan is a first text the read side found sendable.
type initialPlan struct {
	contact    store.Contact
	actionID   string
	campaignID string
	scripts    []string           // the action's, as the checks read them
	hours      store.TextingHours // likewise
	orgID      string
	number     string
	body       string
	checkedAt  time.Time // the server clock when hours were checked
}

// planInitials checks the push's first texts, from memory when this
// server handed their contacts out and knows their action (knownFacts),
// else on one read snapshot. plans[i] is nil for a mutation that is not a
// first text or that the checks would not let through (the writer then
// runs the full path for it). An error leaves every mutation to the full
// path.
func (s *Server) planInitials(ctx context.Context, u store.User, ms []api.Mutation) []*initialPlan {
	var plans []*initialPlan
	var toRead []int
	for i, m := range ms {
		if m.Type != api.MutSendInitial {
			continue
		}
		if plans == nil {
			plans = make([]*initialPlan, len(ms))
		}
		p, decided := s.planKnown(u, m)
		if decided {
			plans[i] = p
			continue
		}
		toRead = append(toRead, i)
	}
	if len(toRead) == 0 {
		return plans
	}
	err := s.store.View(ctx, func(tx store.Tx) error {
		for _, i := range toRead {
			p, err := s.planInitial(ctx, tx, u, ms[i])
			if err != nil {
				return err
			}
			plans[i] = p
		}
		return nil
	})
	if err != nil {
		s.log.Debug().Err(err).Msg("first texts not checked ahead; the writer checks them")
		return nil
	}
	return plans
}

// validInitial is whether m's ids are well formed (the full path words
// the refusal otherwise).
func validInitial(m api.Mutation) bool {
	return m.ID != "" && len(m.ID) <= maxMutationID && m.ContactID != "" && m.MessageID != "" && len(m.MessageID) <= maxMutationID
}

// planKnown plans a first text without reading anything, when its
// contact was handed to u by this server and its action, organization
// and u's number are known; decided is false when something must be read.
func (s *Server) planKnown(u store.User, m api.Mutation) (p *initialPlan, decided bool) {
	if !validInitial(m) {
		return nil, true
	}
	c, ok := s.known.contact(m.ContactID, u.ID)
	if !ok || (m.ActionID != "" && m.ActionID != c.ActionID) {
		return nil, false
	}
	a, org, number, ok := s.known.lookup(c.ActionID, u.ID)
	if !ok {
		return nil, false
	}
	return s.finishPlan(initialPlan{contact: c, actionID: c.ActionID, campaignID: a.campaignID, scripts: a.scripts,
		hours: a.hours, orgID: org, number: number}, u, m), true
}

// planInitial is applySendInitial's checks, read-only; nil when any of
// them would refuse the text (or cannot tell). When the action, the
// organization and the volunteer's number are known (knownFacts), only
// the contact is read: the number's opt-out, block and 6-hour lock and the
// ids are left to the writer's claim, which checks them in any case.
// Otherwise one statement reads them all with the contact.
func (s *Server) planInitial(ctx context.Context, tx store.Tx, u store.User, m api.Mutation) (*initialPlan, error) {
	if !validInitial(m) {
		return nil, nil
	}
	now := s.clock()
	var p initialPlan
	c, err := tx.ContactByID(ctx, m.ContactID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if c.State != store.ContactAssigned || c.AssignedTo != u.ID || (m.ActionID != "" && m.ActionID != c.ActionID) {
		return nil, nil
	}
	if a, org, number, ok := s.known.lookup(c.ActionID, u.ID); ok {
		p = initialPlan{contact: c, actionID: c.ActionID, campaignID: a.campaignID, scripts: a.scripts, hours: a.hours,
			orgID: org, number: number}
	} else {
		chk, err := tx.InitialChecks(ctx, m.ContactID, u.ID, m.MessageID, texting.InitialLockStart(now))
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		s.known.remember(chk, u.ID)
		c = chk.Contact
		if c.State != store.ContactAssigned || c.AssignedTo != u.ID || (m.ActionID != "" && m.ActionID != c.ActionID) {
			return nil, nil
		}
		if chk.OptedOut || chk.Blocked || chk.RecentInitial || chk.MessageIDTaken || chk.Number == "" {
			return nil, nil
		}
		p = initialPlan{contact: c, actionID: c.ActionID, campaignID: chk.CampaignID, scripts: chk.Scripts, hours: chk.Hours,
			orgID: chk.OrganizationID, number: chk.Number}
	}
	return s.finishPlan(p, u, m), nil
}

// finishPlan checks texting hours now and renders the text; nil when
// either refuses (or the app showed another body).
func (s *Server) finishPlan(p initialPlan, u store.User, m api.Mutation) *initialPlan {
	now := s.clock()
	c := p.contact
	if texting.CheckHours(now, c.Phone, texting.Hours(p.hours)) != nil {
		return nil
	}
	body, err := texting.RenderInitial(p.scripts, c.ScriptIndex, textingContact(c), textingVolunteer(u))
	if err != nil || (m.Body != "" && m.Body != body) {
		return nil
	}
	p.body, p.checkedAt = body, now
	return &p
}

// applyPlanned writes a planned first text if its checks still hold at
// now; ok false (nothing written) sends the mutation down the full path.
// It records the mutation itself, fingerprinted fp: the claim has checked
// its id is free.
func (s *Server) applyPlanned(ctx context.Context, tx store.Tx, u store.User, m api.Mutation, fp []byte, p *initialPlan, now time.Time) (res api.MutationResult, send *outbound, ok bool, err error) {
	// Texting hours were checked at checkedAt; they answer the same until
	// the minute turns.
	if !texting.SameHoursAnswer(p.checkedAt, now) {
		return api.MutationResult{}, nil, false, nil
	}
	c := p.contact
	claimed, err := tx.ClaimInitial(ctx, store.InitialClaim{ContactID: c.ID, UserID: u.ID, ActionID: p.actionID,
		Scripts: p.scripts, Hours: p.hours, OrganizationID: p.orgID, Phone: c.Phone,
		InitialSince: texting.InitialLockStart(now), MessageID: m.MessageID, MutationID: m.ID,
		CampaignID: p.campaignID, Number: p.number})
	// Texted, or something changed (perhaps the action's scripts or
	// hours, the contact's assignment or the volunteer's number): the next
	// check reads them again.
	s.known.forgetContact(c.ID)
	if err != nil || !claimed {
		s.known.forgetAction(p.actionID)
		s.known.forgetNumber(p.campaignID, u.ID)
		return api.MutationResult{}, nil, false, err
	}
	th := store.Thread{
		ID: c.ID, ActionID: p.actionID, CampaignID: p.campaignID, OrganizationID: p.orgID, OwnerID: u.ID,
		ContactName: contactName(c), ContactPhone: c.Phone, SendingNumber: p.number,
		LastMessageAt: now, LastOutboundAt: &now, CreatedAt: now,
	}
	if err := tx.CreateThread(ctx, th); err != nil {
		return api.MutationResult{}, nil, false, err
	}
	msg := store.Message{ID: m.MessageID, ThreadID: th.ID, Direction: api.DirOutbound, Body: p.body,
		Initial: true, SenderID: u.ID, CreatedAt: now}
	send = s.newOutbound(tx, &msg, th)
	if err := tx.CreateMessage(ctx, msg); err != nil {
		return api.MutationResult{}, nil, false, err
	}
	// One feed row for the assignment, the thread and the message
	// (store.FeedFirstText).
	if err := feed(ctx, tx, now, u.ID, store.FeedFirstText, msg.ID); err != nil {
		return api.MutationResult{}, nil, false, err
	}
	res = applied(m.ID)
	err = tx.PutMutation(ctx, store.Mutation{ID: m.ID, UserID: u.ID, Type: m.Type, Fingerprint: fp, Result: store.MutationResult(res), CreatedAt: now})
	if err != nil {
		return api.MutationResult{}, nil, false, err
	}
	return res, send, true, nil
}
