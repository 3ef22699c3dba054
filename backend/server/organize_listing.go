package server

import (
	"context"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// CampaignListing is one line of campaign list.
type CampaignListing struct {
	ID           string `json:"id"`
	Organization string `json:"organization"`
	Name         string `json:"name"`
	Issue        string `json:"issue"`
	JoinCode     string `json:"joinCode"`
	Public       bool   `json:"public"`
	Active       bool   `json:"active"`
	Actions      int    `json:"actions"`
	Volunteers   int    `json:"volunteers"`
	Admins       int    `json:"admins"`
	Contacts     int    `json:"contacts"`
}

// ListCampaigns lists active campaigns, and archived ones too if asked.
func (o *Organizer) ListCampaigns(ctx context.Context, includeArchived bool) ([]CampaignListing, error) {
	var rows []store.CampaignListing
	if err := o.store.View(ctx, func(tx store.Tx) error {
		var err error
		rows, err = tx.ListCampaigns(ctx, includeArchived)
		return err
	}); err != nil {
		return nil, err
	}
	out := make([]CampaignListing, 0, len(rows))
	for _, r := range rows {
		out = append(out, CampaignListing{ID: r.ID, Organization: r.OrganizationName, Name: r.Name, Issue: r.Issue,
			JoinCode: r.JoinCode, Public: r.Public, Active: r.Active, Actions: r.Actions, Volunteers: r.Volunteers,
			Admins: r.Admins, Contacts: r.Contacts})
	}
	return out, nil
}

// ArchiveCampaign retires the active campaign with this code: nobody can
// join it any more and its code is free for a new campaign; no contact is
// handed out any more, and those handed out and not yet texted go back to
// the pool, so no first text goes out after the archive. Its threads and
// results stay, and conversations under way can still be answered.
func (o *Organizer) ArchiveCampaign(ctx context.Context, code string) (CampaignListing, error) {
	var out CampaignListing
	err := o.store.Update(ctx, func(tx store.Tx) error {
		c, err := activeCampaign(ctx, tx, code)
		if err != nil {
			return err
		}
		c.Active = false
		if err := tx.UpdateCampaign(ctx, c); err != nil {
			return err
		}
		if err := releaseCampaign(ctx, tx, o.clock(), c.ID); err != nil {
			return err
		}
		out = CampaignListing{ID: c.ID, Name: c.Name, Issue: c.Issue, JoinCode: c.JoinCode, Public: c.Public}
		return feedMembers(ctx, tx, o.clock(), c.ID, api.KindCampaign, c.ID)
	})
	if err != nil {
		return CampaignListing{}, err
	}
	o.log.Info().Str("campaign", out.ID).Str("join_code", code).Msg("campaign archived")
	return out, nil
}

// releaseCampaign hands every volunteer's unsent contacts of the campaign
// back to the pool, with the feed rows that take them out of their apps'
// queues.
func releaseCampaign(ctx context.Context, tx store.Tx, at time.Time, campaignID string) error {
	actions, err := tx.ActionsByCampaign(ctx, campaignID)
	if err != nil {
		return err
	}
	members, err := tx.Members(ctx, campaignID)
	if err != nil {
		return err
	}
	for _, a := range actions {
		for _, m := range members {
			if _, err := releaseToPool(ctx, tx, at, a.ID, m.UserID, nil); err != nil {
				return err
			}
		}
	}
	return nil
}
