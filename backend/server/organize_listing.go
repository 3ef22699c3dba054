package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/campaignfile"
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
	// SearchJoinsPerHour is the campaign's limit on new volunteers joining
	// through search in an hour (0: none); SearchJoins the accounts that
	// joined that way, SearchJoinsRefused the joins it refused.
	SearchJoinsPerHour int `json:"searchJoinsPerHour"`
	SearchJoins        int `json:"searchJoins"`
	SearchJoinsRefused int `json:"searchJoinsRefused"`
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
		out = append(out, listing(r))
	}
	return out, nil
}

// ActiveCampaignListing is the listing row of the active campaign with
// this code: what campaign archive names before it archives for good.
func (o *Organizer) ActiveCampaignListing(ctx context.Context, code string) (CampaignListing, error) {
	var out CampaignListing
	err := o.store.View(ctx, func(tx store.Tx) error {
		c, err := ActiveCampaign(ctx, tx, code)
		if err != nil {
			return err
		}
		out, err = activeListing(ctx, tx, c.ID, code)
		return err
	})
	return out, err
}

// activeListing is the listing row of the active campaign id, whose join
// code was code when it was looked up.
func activeListing(ctx context.Context, tx store.Tx, id, code string) (CampaignListing, error) {
	rows, err := tx.ListCampaigns(ctx, false)
	if err != nil {
		return CampaignListing{}, err
	}
	for _, r := range rows {
		if r.ID == id {
			return listing(r), nil
		}
	}
	return CampaignListing{}, fmt.Errorf("campaign %s: %w", code, store.ErrNotFound)
}

func listing(r store.CampaignListing) CampaignListing {
	return CampaignListing{ID: r.ID, Organization: r.OrganizationName, Name: r.Name, Issue: r.Issue,
		JoinCode: r.JoinCode, Public: r.Public, Active: r.Active, Actions: r.Actions, Volunteers: r.Volunteers,
		Admins: r.Admins, Contacts: r.Contacts, SearchJoinsPerHour: campaignfile.SearchJoins(r.SearchJoinsPerHour),
		SearchJoins: r.SearchJoins, SearchJoinsRefused: r.SearchJoinsRefused}
}

// ArchiveCampaign retires the active campaign with this code: nobody can
// join it any more and its code is free for a new campaign's file to name
// (join_code: generate never draws it: unusedJoinCode); no contact is
// handed out any more, and those handed out and not yet texted go back to
// the pool, so no first text goes out after the archive. Its threads and
// results stay, and conversations under way can still be answered.
func (o *Organizer) ArchiveCampaign(ctx context.Context, code string) (CampaignListing, error) {
	var out CampaignListing
	err := o.store.Update(ctx, func(tx store.Tx) error {
		c, err := ActiveCampaign(ctx, tx, code)
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
		// The whole listing row, as campaign list shows it: --json
		// printed zero counts and no organization before.
		rows, err := tx.ListCampaigns(ctx, true)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.ID == c.ID {
				out = listing(r)
			}
		}
		return feedMembers(ctx, tx, o.clock(), c.ID, api.KindCampaign, c.ID)
	})
	if err != nil {
		return CampaignListing{}, err
	}
	o.log.Info().Str("campaign", out.ID).Str("join_code", out.JoinCode).Msg("campaign archived")
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

// ActionID finds the action an organizer command names, as contacts import
// does: by its id, or by its title (any case) in the active campaign with
// join code code, so that stats and exports can do without the id. Given
// both ways, they must name the same action.
func (o *Organizer) ActionID(ctx context.Context, id, code, title string) (string, error) {
	err := o.store.View(ctx, func(tx store.Tx) error {
		a, _, err := findAction(ctx, tx, id, code, title)
		id = a.ID
		return err
	})
	return id, err
}

// sameNameCampaign is the problem with a file whose campaign has the name
// of another active campaign of the same organization: volunteers would
// find two look-alike campaigns to search and join. In a create it is most
// likely campaign create run twice; in an update, a rename onto another
// campaign's name. self is the campaign the file already names by its join
// code (the one an update changes; in a create, the one whose code the file
// repeats, named by that problem already): never a clash with itself.
func sameNameCampaign(ctx context.Context, tx store.Tx, f *campaignfile.File, self string, mode campaignfile.Mode) (*campaignfile.Problem, error) {
	name, org := strings.TrimSpace(f.Campaign.Name), strings.TrimSpace(f.Organization)
	if name == "" || org == "" {
		return nil, nil // Check names these
	}
	rows, err := tx.ListCampaigns(ctx, false)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.ID == self || !strings.EqualFold(r.Name, name) || !strings.EqualFold(r.OrganizationName, org) {
			continue
		}
		msg := fmt.Sprintf("%q already has an active campaign named %q (join code %s); to change it, put join_code: \"%s\" in the file "+
			"and run campaign update; for another campaign, give it another name", r.OrganizationName, r.Name, r.JoinCode, r.JoinCode)
		if mode == campaignfile.Update {
			msg = fmt.Sprintf("%q already has another active campaign named %q (join code %s); give this one another name "+
				"(or archive that one first: campaign archive %s --yes)", r.OrganizationName, r.Name, r.JoinCode, r.JoinCode)
		}
		return &campaignfile.Problem{Path: campaignfile.NamePath, Line: f.Line(campaignfile.NamePath), Msg: msg}, nil
	}
	return nil, nil
}

// lookalikeOrganization is the existing organization whose name differs
// from name only in case or spacing ("" if none, or if name is exact).
// Opt-outs are kept per organization, so a campaign file that spells it
// "springfield votes" must not quietly start a second organization whose
// volunteers would text the first one's opted-out contacts.
func lookalikeOrganization(ctx context.Context, tx store.Tx, name string) (string, error) {
	name = strings.TrimSpace(name)
	if _, err := tx.OrganizationByName(ctx, name); err == nil || !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	rows, err := tx.ListCampaigns(ctx, true)
	if err != nil {
		return "", err
	}
	squash := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	for _, r := range rows {
		if squash(r.OrganizationName) == squash(name) {
			return r.OrganizationName, nil
		}
	}
	return "", nil
}
