package server

import (
	"context"
	"fmt"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/server/store"
)

// Released is what ReleaseContacts did: how many of the volunteer's
// unsent contacts went back to the pool, in all of the campaign's actions.
type Released struct {
	Email    string `json:"email"`
	Campaign string `json:"campaign"`
	JoinCode string `json:"joinCode"`
	Released int    `json:"released"`
}

// ReleaseContacts hands every contact the volunteer with email holds in
// the campaign code names (join code or id), unsent, back to the pool, as their own
// Stop for now would: for a volunteer who left mid-batch (their app signs
// out and hands them back by itself, but not a laptop that never comes
// back online). Their conversations stay theirs (Reassign moves those).
// The feed rows take the contacts out of their app's queue.
func (o *Organizer) ReleaseContacts(ctx context.Context, email, code string) (Released, error) {
	email = account.NormalEmail(email)
	var out Released
	err := o.store.Update(ctx, func(tx store.Tx) error {
		u, c, err := campaignMember(ctx, tx, email, code)
		if err != nil {
			return err
		}
		out = Released{Email: u.Email, Campaign: c.Name, JoinCode: c.JoinCode}
		actions, err := tx.ActionsByCampaign(ctx, c.ID)
		if err != nil {
			return err
		}
		now := o.clock()
		for _, a := range actions {
			n, err := releaseToPool(ctx, tx, now, a.ID, u.ID, nil)
			if err != nil {
				return err
			}
			out.Released += n
		}
		return nil
	})
	return out, err
}

// campaignMember finds the account with email and the campaign code names
// (its join code, or its id: CampaignByRef), which it must have joined: the
// organizer commands that act on one volunteer's part of a campaign
// (contacts release, conversations reassign) name them so. An archived
// campaign is one too: its volunteers still get replies to hand over.
func campaignMember(ctx context.Context, tx store.Tx, email, code string) (store.User, store.Campaign, error) {
	u, c, m, err := accountAndCampaign(ctx, tx, email, code)
	if err == nil && m == nil {
		err = fmt.Errorf("%s has not joined campaign %s", email, code)
	}
	return u, c, err
}
