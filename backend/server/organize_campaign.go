package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/joincode"
	"github.com/textbank/textbank/backend/server/store"
)

// CampaignResult is what campaign create and update did.
type CampaignResult struct {
	CampaignID   string          `json:"campaignId"`
	Name         string          `json:"name"`
	JoinCode     string          `json:"joinCode"`
	Organization string          `json:"organization"`
	Actions      []ActionOutcome `json:"actions"`
	// AdminsAdded: accounts campaign.admins lists that were not admins
	// before this update (a volunteer made one by admin remove among them:
	// the file is what an update makes true, and the organizer is told).
	AdminsAdded []string `json:"adminsAdded,omitempty"`
	// MadePrivate: this update made a public campaign private. Its code
	// was shown to anyone who searched, so it keeps no one out until
	// campaign new-code replaces it.
	MadePrivate bool `json:"madePrivate,omitempty"`
	// Changes: what an update changed in the campaign itself, one line
	// each ("name: "A" → "B""); none when the file left it as it was.
	Changes []string `json:"changes,omitempty"`
}

// CreateCampaign creates the campaign and actions of a checked file, with
// its admins as members. A file with any problem (in itself, or against the
// database: a join code in use, an admin without an account) changes
// nothing and comes back as campaignfile.Problems.
func (o *Organizer) CreateCampaign(ctx context.Context, f *campaignfile.File) (CampaignResult, error) {
	problems := campaignfile.Check(f, campaignfile.Create, nil)
	var res CampaignResult
	err := o.store.Update(ctx, func(tx store.Tx) error {
		admins, ps, err := resolveAdmins(ctx, tx, f)
		if err != nil {
			return err
		}
		problems = append(problems, ps...)
		code := strings.TrimSpace(f.Campaign.JoinCode)
		taken := "" // the campaign already holding the file's join code
		if code == campaignfile.GenerateCode {
			if code, err = o.unusedJoinCode(ctx, tx); err != nil {
				return err
			}
		} else if joincode.Valid(code) {
			if other, err := tx.CampaignByJoinCode(ctx, code); err == nil {
				taken = other.ID
				problems = append(problems, campaignfile.Problem{Path: campaignfile.JoinCodePath, Line: f.Line(campaignfile.JoinCodePath),
					Msg: fmt.Sprintf("join code %s is already used by the active campaign %q; pick another, or \"generate\"", code, other.Name)})
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if p, err := sameNameCampaign(ctx, tx, f, taken, campaignfile.Create); err != nil {
			return err
		} else if p != nil {
			problems = append(problems, *p)
		}
		if like, err := lookalikeOrganization(ctx, tx, f.Organization); err != nil {
			return err
		} else if like != "" {
			problems = append(problems, campaignfile.Problem{Path: campaignfile.OrganizationPath, Line: f.Line(campaignfile.OrganizationPath),
				Msg: fmt.Sprintf("no organization is named %q, but %q is; write its name exactly (a second organization would not share its opt-outs)", strings.TrimSpace(f.Organization), like)})
		}
		if len(problems) > 0 {
			problems.SortByLine()
			return problems
		}
		now := o.clock()
		org, err := organizationNamed(ctx, tx, f.Organization, now)
		if err != nil {
			return err
		}
		camp := store.Campaign{ID: uuid.NewString(), OrganizationID: org.ID, Name: strings.TrimSpace(f.Campaign.Name),
			Issue: strings.TrimSpace(f.Campaign.Issue), JoinCode: code, Public: f.Campaign.Public, Active: true, CreatedAt: now,
			Contact: strings.TrimSpace(f.Campaign.Contact), SearchJoinsPerHour: f.Campaign.SearchJoinsPerHour}
		if err := tx.CreateCampaign(ctx, camp); err != nil {
			return err
		}
		for _, u := range admins {
			if _, err := tx.AddMembership(ctx, store.Membership{CampaignID: camp.ID, UserID: u.ID, Role: store.RoleAdmin, CreatedAt: now}); err != nil {
				return err
			}
		}
		res = CampaignResult{CampaignID: camp.ID, Name: camp.Name, JoinCode: code, Organization: org.Name}
		for i := range f.Actions {
			a := storeAction(&f.Actions[i], camp.ID, admins)
			a.ID, a.CreatedAt = uuid.NewString(), now.Add(timeStep(i))
			if err := tx.CreateAction(ctx, a); err != nil {
				return err
			}
			if err := tx.SetActionContactFields(ctx, a.ID, f.Actions[i].ContactFields); err != nil {
				return err
			}
			res.Actions = append(res.Actions, actionOutcome(a, "created"))
		}
		for _, u := range admins {
			if err := feedCampaign(ctx, tx, now, u.ID, camp.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return CampaignResult{}, err
	}
	o.log.Info().Str("campaign", res.CampaignID).Str("join_code", res.JoinCode).Int("actions", len(res.Actions)).Msg("campaign created")
	return res, nil
}

// UpdateCampaign changes the campaign with the file's join code: name,
// issue and public; listed admins are added (never removed: that is admin
// remove; one members remove took off is a problem: keptOut); an action
// whose id or title matches an existing one is changed, any other is
// added. Every member's app hears of it.
func (o *Organizer) UpdateCampaign(ctx context.Context, f *campaignfile.File) (CampaignResult, error) {
	var res CampaignResult
	err := o.store.Update(ctx, func(tx store.Tx) error {
		code := strings.TrimSpace(f.Campaign.JoinCode)
		var problems campaignfile.Problems
		var camp store.Campaign
		var existing []store.Action
		matched := make([]*store.Action, len(f.Actions))
		loaded := map[int][]string{}
		if joincode.Valid(code) {
			var err error
			camp, err = tx.CampaignByJoinCode(ctx, code)
			switch {
			case errors.Is(err, store.ErrNotFound):
				lost, err := unknownCode(ctx, tx, code)
				if err != nil {
					return err
				}
				msg := lost.why + "; campaign create makes a new one"
				switch {
				case lost.archived:
					msg = lost.why + ", and an archived campaign cannot be changed; campaign create makes a new one"
				case lost.replacedBy != "":
					// The campaign is there to update: its file holds the old code.
					msg = fmt.Sprintf("%s; write join_code: \"%s\" in the file to update it", lost.why, lost.replacedBy)
				}
				problems = append(problems, campaignfile.Problem{Path: campaignfile.JoinCodePath, Line: f.Line(campaignfile.JoinCodePath), Msg: msg})
			case err != nil:
				return err
			default:
				if existing, err = tx.ActionsByCampaign(ctx, camp.ID); err != nil {
					return err
				}
				ps, err := matchActions(ctx, tx, f, existing, matched, loaded)
				if err != nil {
					return err
				}
				problems = append(problems, ps...)
				org, err := tx.OrganizationByID(ctx, camp.OrganizationID)
				if err != nil {
					return err
				}
				if strings.TrimSpace(f.Organization) != org.Name {
					problems = append(problems, campaignfile.Problem{Path: campaignfile.OrganizationPath, Line: f.Line(campaignfile.OrganizationPath),
						Msg: fmt.Sprintf("the campaign belongs to %q; a campaign cannot move to another organization", org.Name)})
				}
				res.Organization = org.Name
				if p, err := sameNameCampaign(ctx, tx, f, camp.ID, campaignfile.Update); err != nil {
					return err
				} else if p != nil {
					problems = append(problems, *p)
				}
			}
		}
		problems = append(campaignfile.Check(f, campaignfile.Update, loaded), problems...)
		admins, ps, err := resolveAdmins(ctx, tx, f)
		if err != nil {
			return err
		}
		problems = append(problems, ps...)
		if camp.ID != "" {
			if ps, err = keptOutAdmins(ctx, tx, f, camp, admins); err != nil {
				return err
			}
			problems = append(problems, ps...)
		}
		if len(problems) > 0 {
			problems.SortByLine()
			return problems
		}
		now := o.clock()
		res.MadePrivate = camp.Public && !f.Campaign.Public
		before := camp
		camp.Name, camp.Issue, camp.Public = strings.TrimSpace(f.Campaign.Name), strings.TrimSpace(f.Campaign.Issue), f.Campaign.Public
		camp.Contact = strings.TrimSpace(f.Campaign.Contact)
		if f.Campaign.SearchJoinsPerHour != nil { // left out, kept: an update never loosens it unseen
			camp.SearchJoinsPerHour = f.Campaign.SearchJoinsPerHour
		}
		if err := tx.UpdateCampaign(ctx, camp); err != nil {
			return err
		}
		res.Changes = campaignChanges(before, camp)
		for _, u := range admins {
			became, err := makeAdmin(ctx, tx, camp.ID, u.ID, now)
			if err != nil {
				return err
			}
			if became {
				res.AdminsAdded = append(res.AdminsAdded, u.Email)
			}
		}
		res.CampaignID, res.Name, res.JoinCode = camp.ID, camp.Name, camp.JoinCode
		for i := range f.Actions {
			a := storeAction(&f.Actions[i], camp.ID, admins)
			fields := f.Actions[i].ContactFields
			if m := matched[i]; m != nil {
				a.ID, a.CreatedAt = m.ID, m.CreatedAt
				a.ReportFields = fieldsAddedAt(m.ReportFields, a.ReportFields, now)
				if err := tx.UpdateAction(ctx, a); err != nil {
					return err
				}
				if err := retireScripts(ctx, tx, *m, a, now); err != nil {
					return err
				}
				if hidesColumns(*m, a) {
					if _, err := tx.RefeedContacts(ctx, a.ID, now); err != nil {
						return err
					}
				}
				fields = union(loaded[i], fields)
				changed := actionOutcome(a, "updated")
				changed.Changes = contactFieldChanges(actionChanges(*m, a), loaded[i], fields)
				changed.FreeTextChanged = a.AllowFreeText != m.AllowFreeText
				if a.CreatorID != m.CreatorID {
					changed.ReassignsTo = emailOf(admins, a.CreatorID)
				}
				res.Actions = append(res.Actions, changed)
			} else {
				a.ID, a.CreatedAt = uuid.NewString(), now.Add(timeStep(i))
				if err := tx.CreateAction(ctx, a); err != nil {
					return err
				}
				res.Actions = append(res.Actions, actionOutcome(a, "created"))
			}
			if err := tx.SetActionContactFields(ctx, a.ID, fields); err != nil {
				return err
			}
		}
		res.Actions = append(res.Actions, keptActions(existing, matched)...)
		members, err := tx.Members(ctx, camp.ID)
		if err != nil {
			return err
		}
		for _, m := range members {
			if err := feedCampaign(ctx, tx, now, m.UserID, camp.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return CampaignResult{}, err
	}
	o.log.Info().Str("campaign", res.CampaignID).Int("actions", len(res.Actions)).Msg("campaign updated")
	return res, nil
}

// resolveAdmins finds the file's admins' accounts.
func resolveAdmins(ctx context.Context, tx store.Tx, f *campaignfile.File) ([]store.User, campaignfile.Problems, error) {
	var users []store.User
	var problems campaignfile.Problems
	for i, e := range f.Campaign.Admins {
		email := account.NormalEmail(e)
		u, err := tx.UserByEmail(ctx, email)
		if errors.Is(err, store.ErrNotFound) {
			p := campaignfile.AdminPath(i)
			problems = append(problems, campaignfile.Problem{Path: p, Line: f.Line(p),
				Msg: fmt.Sprintf("no account has email %s; they sign up in the app first, or run textbankd users add", email)})
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		users = append(users, u)
	}
	return users, problems, nil
}

// storeAction converts a checked file action; the creator is the named
// admin or the first one.
func storeAction(fa *campaignfile.Action, campaignID string, admins []store.User) store.Action {
	creator := admins[0].ID
	for _, u := range admins {
		if strings.EqualFold(u.Email, strings.TrimSpace(fa.Creator)) {
			creator = u.ID
		}
	}
	rs := make([]store.ResponseScript, 0, len(fa.ResponseScripts))
	for _, r := range fa.ResponseScripts {
		rs = append(rs, store.ResponseScript{ID: r.ID, Label: strings.TrimSpace(r.Label), Body: r.Body, Tags: r.Tags})
	}
	rf := make([]store.ReportField, 0, len(fa.ReportFields))
	for _, f := range fa.ReportFields {
		rf = append(rf, store.ReportField{Key: f.Key, Label: strings.TrimSpace(f.Label), Kind: f.Kind, Choices: f.Choices})
	}
	return store.Action{CampaignID: campaignID, Type: fa.Type, Title: strings.TrimSpace(fa.Title), Description: fa.Description,
		Instructions: fa.Instructions, Scripts: fa.Scripts, ResponseScripts: rs, ReportFields: rf,
		TextingHours: store.TextingHours{Start: fa.TextingHours.Start, End: fa.TextingHours.End},
		BatchSize:    fa.BatchSize, AllowFreeText: fa.FreeText(), ShownFields: fa.Shown(), CreatorID: creator}
}

func organizationNamed(ctx context.Context, tx store.Tx, name string, now time.Time) (store.Organization, error) {
	name = strings.TrimSpace(name)
	org, err := tx.OrganizationByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		org = store.Organization{ID: uuid.NewString(), Name: name, CreatedAt: now}
		return org, tx.CreateOrganization(ctx, org)
	}
	return org, err
}

// unusedJoinCode draws random codes until one no campaign ever had. A
// private campaign's code is its only secret, and an archived campaign's
// is not one: its volunteers' apps still show it, and a public campaign's
// was shown to anyone who searched. A code taken from an archived
// campaign let all of them join the new campaign without guessing. (A
// code the campaign file names is the organizer's choice, as before.)
func (o *Organizer) unusedJoinCode(ctx context.Context, tx store.Tx) (string, error) {
	for range 100 {
		code, err := o.drawCode()
		if err != nil {
			return "", err
		}
		if used, err := tx.JoinCodeEverUsed(ctx, code); err != nil || !used {
			return code, err
		}
	}
	return "", errors.New("no unused join code found in 100 tries; name one in the campaign file")
}

// makeAdmin makes userID an admin of the campaign, whether or not they were
// a member, and reports whether anything changed.
func makeAdmin(ctx context.Context, tx store.Tx, campaignID, userID string, now time.Time) (became bool, err error) {
	added, err := tx.AddMembership(ctx, store.Membership{CampaignID: campaignID, UserID: userID, Role: store.RoleAdmin, CreatedAt: now})
	if err != nil || added {
		return added, err
	}
	m, err := tx.Membership(ctx, campaignID, userID)
	if err != nil || m.Role == store.RoleAdmin {
		return false, err
	}
	return true, tx.SetMembershipRole(ctx, campaignID, userID, store.RoleAdmin)
}

// emailOf is the email of the user with this id among users.
func emailOf(users []store.User, id string) string {
	for _, u := range users {
		if u.ID == id {
			return u.Email
		}
	}
	return id
}

// timeStep spaces creation times so the file's order is the listing order.
func timeStep(i int) time.Duration { return time.Duration(i) * time.Microsecond }

func union(a, b []string) []string {
	out := append([]string{}, a...)
	for _, s := range b {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
