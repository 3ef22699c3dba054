package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/server/store"
)

// What a member an organizer took off a campaign (RemoveMember) is told
// when they ask for anything of it: that they were removed, rather than
// the "not yours" a stranger gets, since they know the campaign anyway.

// removedWords is what a removed member reads, in the app's refusals and
// its join screen.
func removedWords(c store.Campaign) string {
	return "You were removed from the campaign “" + c.Name + "” by its organizers, so this was not done. Ask them if you think this is a mistake."
}

// removedFrom is the campaign if userID was taken off it and is not a
// member again; ok false otherwise (a member, or one who never joined).
func removedFrom(ctx context.Context, tx store.Campaigns, campaignID, userID string) (c store.Campaign, ok bool, err error) {
	if _, removed, err := keptOut(ctx, tx, campaignID, userID); err != nil || !removed {
		return store.Campaign{}, false, err
	}
	c, err = tx.CampaignByID(ctx, campaignID)
	return c, err == nil, err
}

// refuseRemoved answers 403 removed_from_campaign to a removed member's
// request about the campaign; nil for anyone else.
func refuseRemoved(ctx context.Context, tx store.Campaigns, campaignID, userID string) error {
	c, ok, err := removedFrom(ctx, tx, campaignID, userID)
	if err != nil || !ok {
		return err
	}
	return &httpError{status: http.StatusForbidden, body: apiErr(api.CodeRemovedFromCampaign, "", "%s", removedWords(c))}
}

// removedRefusal rewords a refused mutation of a removed member about the
// campaign they were taken off (a change their app queued offline, pushed
// after the removal): rejected removed_from_campaign, saying so. Other
// results are answered as they are. Only the refusals a removed member
// gets are looked at (not_assigned: a contact released, a conversation
// handed over; invalid: Reassign All of an action not theirs), so that the
// common ones (quiet hours, an opt-out) cost the shared writer no reads.
func removedRefusal(ctx context.Context, tx store.Tx, u store.User, m api.Mutation, res api.MutationResult) (api.MutationResult, error) {
	if res.Status != api.ResultRejected || (res.Code != api.RejectNotAssigned && res.Code != api.RejectInvalid) {
		return res, nil
	}
	campaignID, err := mutationCampaign(ctx, tx, m)
	if err != nil || campaignID == "" {
		return res, err
	}
	c, ok, err := removedFrom(ctx, tx, campaignID, u.ID)
	if err != nil || !ok {
		return res, err
	}
	return rejected(res.ID, api.RejectRemoved, "%s", removedWords(c)), nil
}

// mutationCampaign is the campaign a mutation is about: its thread's, its
// contact's action's, or its action's; "" when none exists (or it names
// none: settings).
func mutationCampaign(ctx context.Context, tx store.Tx, m api.Mutation) (string, error) {
	actionID := m.ActionID
	switch {
	case m.ThreadID != "":
		th, err := tx.ThreadByID(ctx, m.ThreadID)
		return th.CampaignID, ignoreNotFound(err)
	case m.ContactID != "":
		c, err := tx.ContactByID(ctx, m.ContactID)
		if err != nil {
			return "", ignoreNotFound(err)
		}
		actionID = c.ActionID
	}
	if actionID == "" {
		return "", nil
	}
	a, err := tx.ActionByID(ctx, actionID)
	return a.CampaignID, ignoreNotFound(err)
}

// keptOut is when an organizer took userID off the campaign, with removed
// true while they are not a member again. Only members readmit lets such a
// volunteer back: admin add and campaign update refuse them (keptOutWords),
// for a removal is meant for good, and a campaign file kept from before it
// (listing one who was an admin once) would otherwise undo it unseen, the
// update having no step that shows what it will do.
func keptOut(ctx context.Context, tx store.Campaigns, campaignID, userID string) (at time.Time, removed bool, err error) {
	if _, err := tx.Membership(ctx, campaignID, userID); !errors.Is(err, store.ErrNotFound) {
		return time.Time{}, false, err
	}
	at, err = tx.RemovedAt(ctx, campaignID, userID)
	if err != nil {
		return time.Time{}, false, ignoreNotFound(err)
	}
	return at, true, nil
}

// keptOutWords says why one removed cannot be made an admin, and what
// lets them back.
func keptOutWords(email string, c store.Campaign, at time.Time) string {
	return fmt.Sprintf("%s was removed from campaign %s on %s, and only textbankd members readmit %s --campaign %s lets them back",
		email, c.JoinCode, OrganizerTime(at), email, c.JoinCode)
}

// keptOutAdmins are the problems of an update's campaign.admins listing
// someone removed from the campaign c (admins: the accounts the file's
// emails found).
func keptOutAdmins(ctx context.Context, tx store.Tx, f *campaignfile.File, c store.Campaign, admins []store.User) (campaignfile.Problems, error) {
	var problems campaignfile.Problems
	for _, u := range admins {
		at, removed, err := keptOut(ctx, tx, c.ID, u.ID)
		if err != nil {
			return nil, err
		}
		if !removed {
			continue
		}
		for i, e := range f.Campaign.Admins {
			if account.NormalEmail(e) == u.Email {
				p := campaignfile.AdminPath(i)
				problems = append(problems, campaignfile.Problem{Path: p, Line: f.Line(p),
					Msg: keptOutWords(u.Email, c, at) + " (or take them out of campaign.admins)"})
				break
			}
		}
	}
	return problems, nil
}
