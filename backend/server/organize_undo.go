package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/server/store"
)

// UndoOptOutRequest is textbankd opt-outs undo: the organization (name or
// id), the number as written (Region reads a national one), and the email
// of the admin it is done for (By): the lift is kept in their name.
type UndoOptOutRequest struct {
	Org, Phone, By, Region string
}

// UndoOptOutResult says which opt-out was undone, and for whom.
type UndoOptOutResult struct {
	OrganizationID string    `json:"organizationId"`
	Organization   string    `json:"organization"`
	Phone          string    `json:"phone"`
	Reason         string    `json:"reason"` // the opt-out's
	OptedOutAt     time.Time `json:"optedOutAt"`
	LiftedBy       string    `json:"liftedBy"` // the admin's name
	LiftedByEmail  string    `json:"liftedByEmail"`
	LiftedAt       time.Time `json:"liftedAt"`
}

// UndoOptOut is the Admin section's Undo Opt Out from the command line:
// the organization's opt-out of a number that reports filed by mistake is
// lifted, as undoOptOut does (refused, with nothing changed, for one the
// contact asked for and the rest), in the name of an admin of one of the
// organization's campaigns. The operator decides now, on the opt-out as
// it is: there is no earlier look for it to have changed since.
func (o *Organizer) UndoOptOut(ctx context.Context, req UndoOptOutRequest) (UndoOptOutResult, error) {
	region, err := o.importRegion(req.Region)
	if err != nil {
		return UndoOptOutResult{}, err
	}
	num, err := phone.Normalize(req.Phone, region)
	if err != nil {
		return UndoOptOutResult{}, fmt.Errorf("%w; nothing was changed", err) // names the number already
	}
	var res UndoOptOutResult
	err = o.store.Update(ctx, func(tx store.Tx) error {
		org, err := organizationByRef(ctx, tx, req.Org)
		if err != nil {
			return err
		}
		admin, err := orgAdmin(ctx, tx, org, req.By)
		if err != nil {
			return err
		}
		was, err := currentOptOut(ctx, tx, org.ID, num)
		now := o.clock()
		if err == nil {
			err = undoOptOut(ctx, tx, org.ID, num, "", now, admin.ID, now)
		}
		if _, msg, ok := undoRefusalWords(err, num); ok {
			return fmt.Errorf("%s (%s); nothing was changed", msg, org.Name)
		}
		if err != nil {
			return err
		}
		res = UndoOptOutResult{OrganizationID: org.ID, Organization: org.Name, Phone: num, Reason: was.Reason, OptedOutAt: was.CreatedAt,
			LiftedBy: admin.Name, LiftedByEmail: admin.Email, LiftedAt: now}
		return nil
	})
	return res, err
}

// orgAdmin is the user of email, an admin of one of org's campaigns (the
// rule of the Admin section's Opt Back In and Undo Opt Out).
func orgAdmin(ctx context.Context, tx store.Tx, org store.Organization, email string) (store.User, error) {
	if email == "" {
		return store.User{}, errors.New("name the admin it is done for with --by EMAIL (an admin of one of the organization's campaigns; the lift is kept in their name)")
	}
	u, err := tx.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, fmt.Errorf("--by: no account has the email %s (textbankd users list shows them); nothing was changed", email)
	}
	if err != nil {
		return store.User{}, err
	}
	ids, err := tx.AdminCampaigns(ctx, u.ID)
	if err != nil {
		return store.User{}, err
	}
	for _, id := range ids {
		c, err := tx.CampaignByID(ctx, id)
		if err != nil {
			return store.User{}, err
		}
		if c.OrganizationID == org.ID {
			return u, nil
		}
	}
	return store.User{}, fmt.Errorf("--by: %s is not an admin of any campaign of %s (textbankd admin add makes one); nothing was changed", email, org.Name)
}
