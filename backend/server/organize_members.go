package server

import (
	"context"
	"errors"
	"fmt"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// removedBeforeSent is the error of a text still queued when its sender
// was taken off the campaign: not sent (the removal is at once), kept in
// the conversation the action's creator receives.
const removedBeforeSent = "not sent: its sender was removed from the campaign before it went out"

// removedNote is the reassignment note of the conversations a removed
// member held, as their creators' inboxes show it.
const removedNote = "Removed from the campaign by its organizers"

// CampaignMembers is a campaign with its members, oldest first.
type CampaignMembers struct {
	Campaign string         `json:"campaign"`
	JoinCode string         `json:"joinCode"`
	Members  []MemberOfList `json:"members"`
}

// MemberOfList is one line of members list.
type MemberOfList struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Role     string `json:"role"`
	JoinedAt string `json:"joinedAt"`
}

// Members lists who belongs to the campaign ref names (join code or id,
// an archived one's too).
func (o *Organizer) Members(ctx context.Context, ref string) (CampaignMembers, error) {
	var out CampaignMembers
	err := o.store.View(ctx, func(tx store.Tx) error {
		c, err := CampaignByRef(ctx, tx, ref)
		if err != nil {
			return err
		}
		ms, err := tx.Members(ctx, c.ID)
		if err != nil {
			return err
		}
		out = CampaignMembers{Campaign: c.Name, JoinCode: c.JoinCode, Members: make([]MemberOfList, len(ms))}
		for i, m := range ms {
			out.Members[i] = MemberOfList{Name: m.Name, Email: m.Email, Role: m.Role, JoinedAt: csvTime(m.CreatedAt)}
		}
		return nil
	})
	return out, err
}

// MemberRemoval is what removing a member does, or would do: their unsent
// contacts back to the pool, their queued texts not sent, their
// conversations to each action's creator.
type MemberRemoval struct {
	Email    string `json:"email"`
	Campaign string `json:"campaign"`
	JoinCode string `json:"joinCode"`
	Removed  bool   `json:"removed"` // false: what it would do (no --yes)
	Released int    `json:"released"`
	// Cancelled counts the texts still queued, not sent.
	Cancelled     int            `json:"cancelled"`
	Conversations int            `json:"conversations"`
	To            []ReassignedTo `json:"to"`
}

// CheckRemoveMember says what RemoveMember would do, changing nothing, or
// why it would refuse.
func (o *Organizer) CheckRemoveMember(ctx context.Context, email, ref string) (MemberRemoval, error) {
	var out MemberRemoval
	err := o.store.View(ctx, func(tx store.Tx) error {
		u, c, actions, err := removableMember(ctx, tx, account.NormalEmail(email), ref)
		if err != nil {
			return err
		}
		out = MemberRemoval{Email: u.Email, Campaign: c.Name, JoinCode: c.JoinCode, To: []ReassignedTo{}}
		for _, a := range actions {
			unsent, err := tx.AssignedUnsent(ctx, a.ID, u.ID)
			if err != nil {
				return err
			}
			threads, err := tx.ThreadsOwnedInAction(ctx, u.ID, a.ID)
			if err != nil {
				return err
			}
			out.Released += len(unsent)
			out.Conversations += len(threads)
		}
		return nil
	})
	return out, err
}

// RemoveMember takes the volunteer with email off the campaign ref names,
// in one transaction: their unsent contacts go back to the pool (as
// contacts release), their texts still queued are not sent (failed, with
// removedBeforeSent: a text whose provider call has begun is the
// provider's already), their conversations go to each action's creator (as
// Reassign All Conversations, so replies reach someone and the creator is
// told), and the membership ends. Their app hears the campaign is gone
// (a deleted campaign change) and drops it; from then every route refuses
// them the campaign, and joining it again with its code too. An admin is
// refused (admin remove first hands their actions to another admin), as
// is a member who created an action (nobody else would receive its
// conversations); so is one who is not a member, with when they were
// removed if they were.
func (o *Organizer) RemoveMember(ctx context.Context, email, ref string) (MemberRemoval, error) {
	email = account.NormalEmail(email)
	var out MemberRemoval
	err := o.store.Update(ctx, func(tx store.Tx) error {
		u, c, actions, err := removableMember(ctx, tx, email, ref)
		if err != nil {
			return err
		}
		out = MemberRemoval{Email: u.Email, Campaign: c.Name, JoinCode: c.JoinCode, Removed: true, To: []ReassignedTo{}}
		now := o.clock()
		given := handedTally{}
		for _, a := range actions {
			n, err := releaseToPool(ctx, tx, now, a.ID, u.ID, nil)
			if err != nil {
				return err
			}
			out.Released += n
			threads, err := tx.ThreadsOwnedInAction(ctx, u.ID, a.ID)
			if err != nil {
				return err
			}
			if len(threads) == 0 {
				continue
			}
			ids := make([]string, len(threads))
			for i, th := range threads {
				ids[i] = th.ID
			}
			// Before the hand-over, which delivers the texts as they are
			// then: failed, with why.
			cancelled, err := tx.CancelQueued(ctx, ids, removedBeforeSent)
			if err != nil {
				return err
			}
			for _, list := range cancelled {
				out.Cancelled += len(list)
			}
			to, err := tx.UserByID(ctx, a.CreatorID)
			if err != nil {
				return fmt.Errorf("the creator of %q: %w", a.Title, err)
			}
			if err := reassignThreads(ctx, tx, threads, u.ID, api.Mutation{ToUserID: to.ID, Body: removedNote}, now); err != nil {
				return err
			}
			given.add(to, len(threads))
			out.Conversations += len(threads)
		}
		out.To = given.list()
		if err := tx.RemoveMembership(ctx, c.ID, u.ID, now); err != nil {
			return err
		}
		tx.AdminChanged(c.ID)
		// Read without the membership: a deleted campaign, which the app
		// drops with everything of it.
		return feed(ctx, tx, now, u.ID, api.KindCampaign, c.ID)
	})
	return out, err
}

// MemberReadmission says who may join which campaign again.
type MemberReadmission struct {
	Email    string `json:"email"`
	Campaign string `json:"campaign"`
	JoinCode string `json:"joinCode"`
}

// ReadmitMember undoes what members remove keeps of a removal: the
// volunteer with email may join the campaign ref names again with its
// code (as a volunteer, with a batch of their own; the conversations
// handed over stay where they went). Refused, changing nothing, for one
// who is a member or was never removed.
func (o *Organizer) ReadmitMember(ctx context.Context, email, ref string) (MemberReadmission, error) {
	email = account.NormalEmail(email)
	var out MemberReadmission
	err := o.store.Update(ctx, func(tx store.Tx) error {
		u, c, m, err := accountAndCampaign(ctx, tx, email, ref)
		if err != nil {
			return err
		}
		if m != nil {
			return fmt.Errorf("%s is a member of campaign %s already; nothing changed", email, ref)
		}
		if err := tx.ForgetRemoval(ctx, c.ID, u.ID); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%s is not kept out of campaign %s (never removed, or readmitted since); nothing changed: they join with its code", email, ref)
		} else if err != nil {
			return err
		}
		out = MemberReadmission{Email: u.Email, Campaign: c.Name, JoinCode: c.JoinCode}
		return nil
	})
	if err == nil {
		o.log.Info().Str("campaign", ref).Msg("a removed member may join again")
	}
	return out, err
}

// accountAndCampaign finds the account with email and the campaign ref
// names (join code or id, an archived one's too), and the account's
// membership of it: nil when they are not a member, which each caller
// words as what it means to it.
func accountAndCampaign(ctx context.Context, tx store.Tx, email, ref string) (store.User, store.Campaign, *store.Membership, error) {
	u, err := userByEmail(ctx, tx, email)
	if err != nil {
		return store.User{}, store.Campaign{}, nil, err
	}
	c, err := CampaignByRef(ctx, tx, ref)
	if err != nil {
		return store.User{}, store.Campaign{}, nil, err
	}
	m, err := tx.Membership(ctx, c.ID, u.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return u, c, nil, nil
	case err != nil:
		return store.User{}, store.Campaign{}, nil, err
	}
	return u, c, &m, nil
}

// removableMember finds the account, the campaign and its actions, and
// refuses a removal that cannot be made (not a member, an admin, an
// action's creator) in words that say what to do instead.
func removableMember(ctx context.Context, tx store.Tx, email, ref string) (store.User, store.Campaign, []store.Action, error) {
	u, c, m, err := accountAndCampaign(ctx, tx, email, ref)
	if err != nil {
		return store.User{}, store.Campaign{}, nil, err
	}
	if m == nil {
		at, err := tx.RemovedAt(ctx, c.ID, u.ID)
		switch {
		case err == nil:
			return store.User{}, store.Campaign{}, nil, fmt.Errorf("%s was already removed from campaign %s on %s; nothing changed", email, ref, OrganizerTime(at))
		case errors.Is(err, store.ErrNotFound):
			return store.User{}, store.Campaign{}, nil, fmt.Errorf("%s is not a member of campaign %s (textbankd members list --campaign %s shows who is)", email, ref, ref)
		}
		return store.User{}, store.Campaign{}, nil, err
	}
	if m.Role == store.RoleAdmin {
		return store.User{}, store.Campaign{}, nil, fmt.Errorf("%s is an admin of campaign %s: make them a volunteer first (textbankd admin remove %s --campaign %s hands their actions to another admin), then remove them",
			email, ref, email, ref)
	}
	actions, err := tx.ActionsByCampaign(ctx, c.ID)
	if err != nil {
		return store.User{}, store.Campaign{}, nil, err
	}
	for _, a := range actions {
		switch a.CreatorID {
		case u.ID:
			return store.User{}, store.Campaign{}, nil, fmt.Errorf("%s created action %q of campaign %s, whose conversations nobody else would receive: make an admin its creator first (the campaign file's creator, then campaign update)",
				email, a.Title, ref)
		case "":
			return store.User{}, store.Campaign{}, nil, fmt.Errorf("action %q of campaign %s has no creator to receive %s's conversations: give it one first (the campaign file's creator, then campaign update)",
				a.Title, ref, email)
		}
	}
	return u, c, actions, nil
}
