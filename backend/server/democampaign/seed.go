// Package democampaign is the demo campaign: its organization, actions,
// contacts, numbers, organizer and volunteer, and the conversations already
// in the volunteer's inbox, seeded by `textbankd serve --demo` and by the
// embeddable demo server (backend/server/demo) behind the desktop app's
// --demo. It is product code, not test code: a newcomer's first look at
// Textbank runs through it.
package democampaign

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// The demo's fixed facts, shown in the UI and the README.
const (
	OrganizationName  = "Textbank Demo"
	CampaignName      = "Demo for Democracy"
	CampaignIssue     = "Voter turnout"
	JoinCode          = "123456"
	ActionTitle       = "Get Out The Vote"
	OrganizerName     = "Orla Organizer"
	OrganizerEmail    = "organizer@textbank.local"
	VolunteerName     = "Dana Volunteer"
	VolunteerEmail    = "demo@textbank.local"
	VolunteerPassword = "textbank-demo"
	// OrganizerPassword lets an admin sign in to the demo too.
	OrganizerPassword = "textbank-demo"
)

// Info is what a caller needs to drive the demo.
type Info struct {
	CampaignID        string
	ActionID          string
	JoinCode          string
	VolunteerEmail    string
	VolunteerPassword string
}

// SampleContact and SampleContactPhone are a seeded contact in the demo
// volunteer's inbox, whose reply an organizer can play with textbankd sim
// text (the docs' example and the desktop demo's hint; the demo's door
// test holds that the number is hers).
const (
	SampleContact      = "Rosa Parks"
	SampleContactPhone = "+16175550151"
)

// SendingNumbers is the demo campaign's pool.
func SendingNumbers() []string {
	return []string{"+12025550180", "+12025550181", "+12025550182", "+12025550183", "+12025550184"}
}

// Seed creates the demo organization, campaign, actions (the p2p action
// with its contact list, and a Friends, a Team, a Canvassing and a
// Broadcast action with conversations already in the volunteer's inbox),
// contacts, sending numbers, organizer and volunteer, unless the demo
// campaign already exists; then it only makes sure the volunteer can sign
// in. The volunteer is not made a member: joining with code 123456 is part
// of the demo.
func Seed(ctx context.Context, st store.Store, now time.Time) (Info, error) {
	now = now.UTC().Truncate(time.Microsecond)
	info := Info{JoinCode: JoinCode, VolunteerEmail: VolunteerEmail, VolunteerPassword: VolunteerPassword}
	if err := validateScripts(); err != nil {
		return Info{}, err
	}
	err := st.Update(ctx, func(tx store.Tx) error {
		if err := ensureUser(ctx, tx, VolunteerName, VolunteerEmail, VolunteerPassword, now); err != nil {
			return err
		}
		c, err := tx.CampaignByJoinCode(ctx, JoinCode)
		if err == nil {
			info.CampaignID = c.ID
			actions, err := tx.ActionsByCampaign(ctx, c.ID)
			if err != nil {
				return err
			}
			for _, a := range actions {
				if a.Type == api.ActionP2P && a.Title == ActionTitle {
					info.ActionID = a.ID
				}
			}
			if info.ActionID == "" {
				return fmt.Errorf("demo: campaign %s exists without its %q action", c.ID, ActionTitle)
			}
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		info.CampaignID, info.ActionID, err = create(ctx, tx, now)
		return err
	})
	if err != nil {
		return Info{}, fmt.Errorf("demo: seed: %w", err)
	}
	return info, nil
}

// ensureUser creates the user unless the email is registered already.
func ensureUser(ctx context.Context, tx store.Tx, name, email, password string, now time.Time) error {
	if _, err := tx.UserByEmail(ctx, email); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("hash password of %s: %w", email, err)
	}
	return tx.CreateUser(ctx, store.User{ID: uuid.NewString(), Name: name, Email: email, PasswordHash: string(hash), CreatedAt: now})
}

func create(ctx context.Context, tx store.Tx, now time.Time) (campaignID, actionID string, err error) {
	if err := ensureUser(ctx, tx, OrganizerName, OrganizerEmail, OrganizerPassword, now); err != nil {
		return "", "", err
	}
	organizer, err := tx.UserByEmail(ctx, OrganizerEmail)
	if err != nil {
		return "", "", err
	}
	org := store.Organization{ID: uuid.NewString(), Name: OrganizationName, CreatedAt: now}
	if err := tx.CreateOrganization(ctx, org); err != nil {
		return "", "", err
	}
	camp := store.Campaign{ID: uuid.NewString(), OrganizationID: org.ID, Name: CampaignName, Issue: CampaignIssue,
		JoinCode: JoinCode, Public: true, Active: true, CreatedAt: now, Contact: OrganizerName + ", " + OrganizerEmail}
	if err := tx.CreateCampaign(ctx, camp); err != nil {
		return "", "", err
	}
	if _, err := tx.AddMembership(ctx, store.Membership{CampaignID: camp.ID, UserID: organizer.ID, Role: store.RoleAdmin, CreatedAt: now}); err != nil {
		return "", "", err
	}
	action := demoAction(camp.ID, organizer.ID, now)
	if err := tx.CreateAction(ctx, action); err != nil {
		return "", "", err
	}
	for _, n := range SendingNumbers() {
		if err := addNumber(ctx, tx, camp.ID, n, now); err != nil {
			return "", "", err
		}
	}
	// A fixed seed keeps the A/B split the same on every machine.
	rng := rand.New(rand.NewPCG(1, 2))
	for i, c := range contacts() {
		c.ID = uuid.NewString()
		c.ActionID = action.ID
		c.ScriptIndex = rng.IntN(len(action.Scripts))
		// Distinct creation times keep the batch order the list order.
		c.CreatedAt = now.Add(time.Duration(i) * time.Microsecond)
		if err := tx.CreateContact(ctx, c); err != nil {
			return "", "", err
		}
	}
	if err := seedInbox(ctx, tx, camp, organizer.ID, now); err != nil {
		return "", "", err
	}
	if err := seedUnroutable(ctx, tx, camp.ID, now); err != nil {
		return "", "", err
	}
	if err := seedOptIn(ctx, tx, camp, action, organizer.ID, now); err != nil {
		return "", "", err
	}
	if err := seedAbuseReport(ctx, tx, camp, action, now); err != nil {
		return "", "", err
	}
	// The organizer's app sees the campaign like any member's.
	if _, err := tx.AppendFeed(ctx, organizer.ID, api.KindCampaign, camp.ID, now); err != nil {
		return "", "", err
	}
	actions, err := tx.ActionsByCampaign(ctx, camp.ID)
	if err != nil {
		return "", "", err
	}
	for _, a := range actions {
		if _, err := tx.AppendFeed(ctx, organizer.ID, api.KindAction, a.ID, now); err != nil {
			return "", "", err
		}
	}
	return camp.ID, action.ID, nil
}

// addNumber gives the new demo campaign one of the demo's numbers. A demo
// campaign an organizer archived keeps its numbers, as every archived
// campaign does, and frees code 123456, so the demo's next start makes a
// new campaign, in a new organization (the old one's opt-outs and blocks
// would clash with the seeded ones): it takes the numbers back from the
// archived campaign. `numbers add` moves an archived campaign's number
// only within its organization, since a real number is a real
// organization's; these are the demo's own fictional numbers. Read
// first, not inserted and caught: on PostgreSQL a refused insert ends
// the transaction.
func addNumber(ctx context.Context, tx store.Tx, campaignID, phone string, now time.Time) error {
	owner, err := tx.SendingNumberCampaign(ctx, phone)
	if errors.Is(err, store.ErrNotFound) {
		return tx.AddSendingNumber(ctx, campaignID, phone, now)
	}
	if err != nil {
		return err
	}
	c, err := tx.CampaignByID(ctx, owner)
	if err != nil {
		return err
	}
	if c.Active {
		return fmt.Errorf("sending number %s is campaign %q's (code %s), which is active", phone, c.Name, c.JoinCode)
	}
	return tx.MoveSendingNumber(ctx, phone, campaignID)
}

// providerID is a seeded text's id at the provider, as the simulated
// network gives its texts ("SM" and 32 hex digits, as Twilio's): texts the
// demo's contacts were sent count as sent in the organizer's results, as
// real ones do.
func providerID() string {
	u := uuid.New()
	return fmt.Sprintf("SM%x", u[:])
}
