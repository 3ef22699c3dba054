package server

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// Reassigned is what ReassignConversations did: how many of the
// volunteer's conversations went to whom.
type Reassigned struct {
	Email    string         `json:"email"`
	Campaign string         `json:"campaign"`
	JoinCode string         `json:"joinCode"`
	Total    int            `json:"total"`
	To       []ReassignedTo `json:"to"`
}

// ReassignedTo is one organizer's share of a Reassigned.
type ReassignedTo struct {
	Name          string `json:"name"`
	Email         string `json:"email"`
	Conversations int    `json:"conversations"`
}

// handedTally counts, by user id, the conversations handed to each
// recipient of a reassignment or a removal.
type handedTally map[string]*ReassignedTo

func (h handedTally) add(to store.User, n int) {
	if h[to.ID] == nil {
		h[to.ID] = &ReassignedTo{Name: to.Name, Email: to.Email}
	}
	h[to.ID].Conversations += n
}

// list is the tally by email, for the command's output ([] rather than
// null in --json when nobody was handed anything).
func (h handedTally) list() []ReassignedTo {
	out := make([]ReassignedTo, 0, len(h))
	for _, g := range h {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Email < out[j].Email })
	return out
}

// ReassignConversations hands every conversation the volunteer with email
// holds in the campaign with join code code to an organizer, as their own
// Reassign All Conversations would, action by action: for a volunteer who
// stopped without handing them over, whose contacts' replies would
// otherwise reach an inbox nobody reads. toEmail names an admin of the
// campaign; "" gives each action's conversations to the action's creator.
// All or nothing: a target that cannot take one action's changes nothing.
// The conversations arrive in the organizers' inboxes noted "Reassigned by"
// the volunteer, with note.
func (o *Organizer) ReassignConversations(ctx context.Context, email, code, toEmail, note string) (Reassigned, error) {
	email, toEmail, note = account.NormalEmail(email), account.NormalEmail(toEmail), strings.TrimSpace(note)
	if n := len([]rune(note)); n > maxNote {
		return Reassigned{}, fmt.Errorf("the note is %d characters; at most %d", n, maxNote)
	}
	var out Reassigned
	err := o.store.Update(ctx, func(tx store.Tx) error {
		u, c, err := campaignMember(ctx, tx, email, code)
		if err != nil {
			return err
		}
		out = Reassigned{Email: u.Email, Campaign: c.Name, JoinCode: c.JoinCode, To: []ReassignedTo{}}
		actions, err := tx.ActionsByCampaign(ctx, c.ID)
		if err != nil {
			return err
		}
		// Named, the organizer must be one of the campaign, whether or not
		// the volunteer holds anything now.
		var to store.User
		if toEmail != "" {
			if to, err = userByEmail(ctx, tx, toEmail); err != nil {
				return err
			}
			if to.ID == u.ID {
				return fmt.Errorf("--to names %s, whose conversations these are; name an organizer of the campaign", toEmail)
			}
			ok, err := mayTake(ctx, tx, store.Action{CampaignID: c.ID}, to.ID)
			if err != nil {
				return err
			}
			for _, a := range actions {
				ok = ok || a.CreatorID == to.ID
			}
			if !ok {
				return notOrganizer(toEmail, c.JoinCode)
			}
		}
		now := o.clock()
		given := handedTally{}
		for _, a := range actions {
			threads, err := tx.ThreadsOwnedInAction(ctx, u.ID, a.ID)
			if err != nil {
				return err
			}
			if len(threads) == 0 {
				continue
			}
			target := to
			if toEmail == "" {
				if a.CreatorID == "" || a.CreatorID == u.ID {
					return fmt.Errorf("%s created %q, whose %d conversations they hold: name the organizer to take them with --to EMAIL", email, a.Title, len(threads))
				}
				if target, err = tx.UserByID(ctx, a.CreatorID); err != nil {
					return fmt.Errorf("the creator of %q: %w", a.Title, err)
				}
			} else if ok, err := mayTake(ctx, tx, a, to.ID); err != nil {
				return err
			} else if !ok {
				return notOrganizer(toEmail, c.JoinCode)
			}
			m := api.Mutation{ToUserID: target.ID, Body: note}
			if err := reassignThreads(ctx, tx, threads, u.ID, m, now); err != nil {
				return err
			}
			given.add(target, len(threads))
			out.Total += len(threads)
		}
		out.To = given.list()
		return nil
	})
	if err != nil {
		return Reassigned{}, err
	}
	return out, nil
}

// mayTake says whether the user may be handed the action's conversations:
// its creator, or an admin of its campaign (checkReassignTarget's rule).
func mayTake(ctx context.Context, tx store.Tx, a store.Action, userID string) (bool, error) {
	if userID == a.CreatorID {
		return true, nil
	}
	ms, err := tx.Membership(ctx, a.CampaignID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil && ms.Role == store.RoleAdmin, err
}

func notOrganizer(email, code string) error {
	return fmt.Errorf("%s is not an organizer of campaign %s; conversations go only to its admins (textbankd admin add %s --campaign %s)", email, code, email, code)
}
