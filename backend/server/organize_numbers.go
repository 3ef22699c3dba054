package server

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// NumbersRemoved is what RemoveNumbers did (numbers remove --json).
type NumbersRemoved struct {
	Campaign string   `json:"campaign"`
	JoinCode string   `json:"joinCode"`
	Numbers  []string `json:"numbers"`
	// Moved are the volunteers who had a removed number, each with the
	// number they were given instead ("" when the pool has none left).
	Moved []MovedVolunteer `json:"moved"`
	// InUse is how many of the campaign's numbers are still in use: at 0,
	// its volunteers start no conversation until numbers are added.
	InUse int `json:"inUse"`
}

// MovedVolunteer is a volunteer given another number by RemoveNumbers.
type MovedVolunteer struct {
	Email  string `json:"email"`
	Name   string `json:"name"`
	From   string `json:"from"`
	Number string `json:"number"`
}

// RemoveNumbers takes numbers out of the pool of the active campaign with
// join code code (a number a carrier flags, or one the campaign gives up):
// all of them or, with any refused, none. Each starts no conversation from
// then on; the volunteers who had one are given the number of the pool
// the fewest use, and their apps learn it from their sync feed (the
// campaign's actions, which carry the volunteer's number). Conversations
// under way keep their number, as a number taken over from an archived
// campaign does: their follow-ups and replies still go by it, so the
// contacts are not answered from a number they never heard from.
func (o *Organizer) RemoveNumbers(ctx context.Context, code string, phones []string) (NumbersRemoved, error) {
	out := NumbersRemoved{Numbers: phones, Moved: []MovedVolunteer{}}
	err := o.store.Update(ctx, func(tx store.Tx) error {
		c, err := ActiveCampaign(ctx, tx, code)
		if err != nil {
			return err
		}
		out.Campaign, out.JoinCode = c.Name, c.JoinCode
		seen := map[string]bool{}
		for _, p := range phones {
			if seen[p] {
				return fmt.Errorf("%s is given twice; nothing was removed", p)
			}
			seen[p] = true
			if err := mayRemove(ctx, tx, p, c); err != nil {
				return err
			}
		}
		now := o.clock()
		from := map[string]string{}
		for _, p := range phones {
			users, err := tx.RemoveSendingNumber(ctx, p, now)
			if err != nil {
				return err
			}
			for _, u := range users {
				from[u] = p
			}
		}
		actions, err := tx.ActionsByCampaign(ctx, c.ID)
		if err != nil {
			return err
		}
		ids := make([]string, 0, len(from))
		for id := range from {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			u, err := tx.UserByID(ctx, id)
			if err != nil {
				return err
			}
			number, err := tx.AssignSendingNumber(ctx, c.ID, id, now)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			out.Moved = append(out.Moved, MovedVolunteer{Email: u.Email, Name: u.Name, From: from[id], Number: number})
			for _, a := range actions {
				if err := feed(ctx, tx, now, id, api.KindAction, a.ID); err != nil {
					return err
				}
			}
		}
		pool, err := tx.ListSendingNumbers(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, n := range pool {
			if n.RemovedAt == nil {
				out.InUse++
			}
		}
		return nil
	})
	return out, err
}

// mayRemove refuses to remove p from c's pool unless it is there and in
// use, naming where it is instead.
func mayRemove(ctx context.Context, tx store.Tx, p string, c store.Campaign) error {
	n, err := tx.SendingNumberByPhone(ctx, p)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s is not a sending number of any campaign; nothing was removed", p)
	}
	if err != nil {
		return err
	}
	if n.CampaignID != c.ID {
		owner, err := tx.CampaignByID(ctx, n.CampaignID)
		if err != nil {
			return err
		}
		return fmt.Errorf("%s is a sending number of campaign %s, not of %s %q; nothing was removed",
			p, campaignLabelOf(owner), c.JoinCode, c.Name)
	}
	if n.RemovedAt != nil {
		return fmt.Errorf("%s was removed from %s %q already, on %s; nothing was removed",
			p, c.JoinCode, c.Name, OrganizerTime(*n.RemovedAt))
	}
	return nil
}

// campaignLabelOf names a campaign by join code and name, marked when
// archived (its code may be a newer campaign's).
func campaignLabelOf(c store.Campaign) string {
	if !c.Active {
		return fmt.Sprintf("%s %q (archived)", c.JoinCode, c.Name)
	}
	return fmt.Sprintf("%s %q", c.JoinCode, c.Name)
}
