package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/joincode"
	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/server/store"
)

// Organizer is what `textbankd`'s organizer commands do: campaigns from a
// file, contact imports, exports, admins and users. It works on the store
// directly, so it runs whether or not a server is serving the same
// database; every change a volunteer can see is announced in their feed in
// the same transaction, and a running server's feed watcher (WatchFeed)
// pokes their apps.
type Organizer struct {
	store  store.Store
	now    func() time.Time
	log    zerolog.Logger
	region string
	cost   int
	// drawCode draws a join code for join_code: generate (joincode.Random;
	// tests replace it).
	drawCode func() (string, error)
}

// OrganizerConfig holds an Organizer's dependencies; Store is required.
type OrganizerConfig struct {
	Store store.Store
	Now   func() time.Time
	Log   zerolog.Logger
	// Region is the default region of imported numbers without a country
	// code; "US" if empty.
	Region string
	// BcryptCost hashes passwords of users added here; bcrypt.DefaultCost if 0.
	BcryptCost int
}

func NewOrganizer(cfg OrganizerConfig) (*Organizer, error) {
	if cfg.Store == nil {
		return nil, errors.New("organizer: OrganizerConfig.Store is required")
	}
	o := &Organizer{store: cfg.Store, now: cfg.Now, log: cfg.Log, region: cfg.Region, cost: cfg.BcryptCost, drawCode: joincode.Random}
	if o.now == nil {
		o.now = time.Now
	}
	if o.region == "" {
		o.region = phone.DefaultRegion
	}
	if o.cost == 0 {
		o.cost = bcrypt.DefaultCost
	}
	return o, nil
}

func (o *Organizer) clock() time.Time {
	return o.now().UTC().Truncate(time.Microsecond)
}

// CampaignsByCode is what ActiveCampaign reads: the active campaign with a
// code, and the list that says whether an archived one had it.
type CampaignsByCode interface {
	CampaignByJoinCode(ctx context.Context, code string) (store.Campaign, error)
	CampaignByRetiredJoinCode(ctx context.Context, code string) (store.Campaign, error)
	ListCampaigns(ctx context.Context, includeArchived bool) ([]store.CampaignListing, error)
}

// ActiveCampaign is the active campaign an organizer command names by join
// code or id, read as CampaignByRef reads it (one parser for every
// command): a campaign named by its id that is archived is refused by
// name, and a code an archived campaign had is named as that campaign's
// without sending the organizer to its id, which this command would refuse.
func ActiveCampaign(ctx context.Context, tx CampaignsByRef, ref string) (store.Campaign, error) {
	return campaignByRef(ctx, tx, ref, false)
}

// lostCode is why no active campaign has a join code, in the words every
// command uses: a code an archived campaign had is named as that
// campaign's ("it was X's, which is archived"), so the organizer holding
// its files reads why it is not found, as is one campaign new-code
// replaced, with the code in its place (replacedBy), which is what to give
// instead. archived tells the caller whether it was, to say what to do next.
type lostCode struct {
	why        string
	archived   bool
	replacedBy string
}

func unknownCode(ctx context.Context, tx CampaignsByCode, code string) (lostCode, error) {
	name, err := archivedName(ctx, tx, code)
	if err != nil {
		return lostCode{}, err
	}
	if name != "" {
		return lostCode{why: fmt.Sprintf("%s: it was %q's, which is archived", joincode.Unknown(code), name), archived: true}, nil
	}
	// A code campaign new-code replaced: the organizer's file or notes
	// may still hold it.
	c, err := tx.CampaignByRetiredJoinCode(ctx, code)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return lostCode{why: joincode.Unknown(code)}, nil
	case err != nil:
		return lostCode{}, err
	case !c.Active:
		return lostCode{why: fmt.Sprintf("%s: it was %q's, which is archived", joincode.Unknown(code), c.Name), archived: true}, nil
	}
	return lostCode{why: fmt.Sprintf("%s: campaign new-code gave %q the code %s in its place", joincode.Unknown(code), c.Name, c.JoinCode), replacedBy: c.JoinCode}, nil
}

// titleCampaign is the campaign --campaign names for --action-title: the
// active one with that join code, or any campaign by its id. An archived
// campaign's code may be a newer campaign's, so the id (campaign list --all)
// is how its exports are reached once the action ids are lost.
func titleCampaign(ctx context.Context, tx CampaignsByRef, code string) (store.Campaign, error) {
	return CampaignByRef(ctx, tx, code)
}

// CampaignsByRef is what CampaignByRef reads: campaigns by code and id,
// and the list that says whether an archived one had a code.
type CampaignsByRef interface {
	CampaignsByCode
	CampaignByID(ctx context.Context, id string) (store.Campaign, error)
}

// CampaignByRef is the campaign an organizer command's --campaign names,
// archived or not: the active one with that join code, else any campaign by
// its id, with an error that says where to find either. A code an archived
// campaign had is named as that campaign's (unknownCode), and its id is
// what reaches it.
func CampaignByRef(ctx context.Context, tx CampaignsByRef, ref string) (store.Campaign, error) {
	return campaignByRef(ctx, tx, ref, true)
}

// campaignByRef is the one reading of what an organizer gave for a
// campaign (ActiveCampaign, CampaignByRef): a join code, else an id; one
// that is neither is refused in the same words whatever the command.
// archivedOK says whether the command acts on an archived campaign (its
// volunteers' replies, its results) or only on an active one.
func campaignByRef(ctx context.Context, tx CampaignsByRef, raw string, archivedOK bool) (store.Campaign, error) {
	ref := strings.TrimSpace(raw)
	if ref == "" {
		return store.Campaign{}, errors.New("no campaign given: give its join code or id (textbankd campaign list --all shows both)")
	}
	if joincode.Valid(ref) {
		c, err := tx.CampaignByJoinCode(ctx, ref)
		if errors.Is(err, store.ErrNotFound) {
			lost, err := unknownCode(ctx, tx, ref)
			if err != nil {
				return store.Campaign{}, err
			}
			switch {
			case lost.replacedBy != "":
				return store.Campaign{}, fmt.Errorf("%s; give %s instead", lost.why, lost.replacedBy)
			case lost.archived && archivedOK:
				return store.Campaign{}, fmt.Errorf("%s; give its id to reach it (textbankd campaign list --all shows it)", lost.why)
			case archivedOK:
				return store.Campaign{}, fmt.Errorf("%s (%s; for an archived campaign give its id from campaign list --all)", lost.why, campaignListHint)
			}
			return store.Campaign{}, fmt.Errorf("%s (%s)", lost.why, campaignListHint)
		}
		return c, err
	}
	c, err := tx.CampaignByID(ctx, ref)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Campaign{}, fmt.Errorf("no campaign has join code or id %q (textbankd campaign list --all shows both)", ref)
	case err != nil:
		return store.Campaign{}, err
	case !c.Active && !archivedOK:
		return store.Campaign{}, fmt.Errorf("campaign %q (id %s) is archived, and this works only on an active campaign", c.Name, c.ID)
	}
	return c, nil
}

// archivedName is the name of the latest archived campaign that had join
// code code, "" if none: a refusal that found no active campaign by a code
// says when the code is one the organizer archived, not just unknown.
func archivedName(ctx context.Context, tx CampaignsByCode, code string) (string, error) {
	rows, err := tx.ListCampaigns(ctx, true)
	if err != nil {
		return "", err
	}
	name, at := "", time.Time{}
	for _, r := range rows {
		if !r.Active && r.JoinCode == code && !r.CreatedAt.Before(at) {
			name, at = r.Name, r.CreatedAt
		}
	}
	return name, nil
}

// campaignListHint is where an organizer finds the join codes.
const campaignListHint = "textbankd campaign list shows them"

// feedMembers announces entities to every member of a campaign.
func feedMembers(ctx context.Context, tx store.Tx, at time.Time, campaignID string, kindIDs ...string) error {
	members, err := tx.Members(ctx, campaignID)
	if err != nil {
		return err
	}
	for _, m := range members {
		if err := feed(ctx, tx, at, m.UserID, kindIDs...); err != nil {
			return err
		}
	}
	return nil
}
