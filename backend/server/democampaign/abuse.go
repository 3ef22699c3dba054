package democampaign

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/optout"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
)

// blockedContact is the demo's report of abuse: a contact who threatened
// the demo volunteer after her first text, and whom she blocked, so the
// organizer's Admin section has a report to read and decide on from the
// start (as the volunteer's own Report abuse adds more).
var blockedContact = struct{ First, Last, Phone, Reply string }{"Rex", "Ruckus", "+17135550196",
	"Text me again and you'll regret it. I know where your office is."}

// seedAbuseReport keeps that conversation as the server would have after
// the block: the first text and the reply, the thread blocked and hidden
// from the volunteer (never in her feed), the block, the opt-out it made
// for the organization, and the report for the campaign's admins.
func seedAbuseReport(ctx context.Context, tx store.Tx, camp store.Campaign, a store.Action, now time.Time) error {
	volunteer, err := tx.UserByEmail(ctx, VolunteerEmail)
	if err != nil {
		return err
	}
	// Hers since seedInbox.
	number, err := tx.SendingNumber(ctx, camp.ID, volunteer.ID)
	if err != nil {
		return fmt.Errorf("sending number of the demo volunteer: %w", err)
	}
	sentAt := now.Add(-3 * time.Hour)
	replyAt, blockedAt := sentAt.Add(5*time.Minute), sentAt.Add(9*time.Minute)
	b := blockedContact
	c := store.Contact{ID: uuid.NewString(), ActionID: a.ID, FirstName: b.First, LastName: b.Last, Phone: b.Phone,
		Fields: map[string]string{}, State: store.ContactTexted, AssignedTo: volunteer.ID, AssignedAt: &sentAt,
		CreatedAt: sentAt.Add(-time.Minute)}
	if err := tx.CreateContact(ctx, c); err != nil {
		return err
	}
	th := store.Thread{ID: c.ID, ActionID: a.ID, CampaignID: camp.ID, OrganizationID: camp.OrganizationID, OwnerID: volunteer.ID,
		ContactName: b.First + " " + b.Last, ContactPhone: b.Phone, SendingNumber: number, OptedOut: true, Blocked: true,
		LastMessageAt: replyAt, LastInboundAt: &replyAt, LastOutboundAt: &sentAt, CreatedAt: sentAt}
	if err := tx.CreateThread(ctx, th); err != nil {
		return err
	}
	body, err := texting.Render(a.Scripts[0], texting.Contact{FirstName: c.FirstName, LastName: c.LastName, Fields: c.Fields},
		texting.Volunteer{Name: volunteer.Name})
	if err != nil {
		return fmt.Errorf("demo: render the blocked contact's first text: %w", err)
	}
	for _, m := range []store.Message{
		{ID: uuid.NewString(), ThreadID: th.ID, Direction: api.DirOutbound, Body: body, Status: api.StatusDelivered, ProviderID: providerID(),
			Initial: true, SenderID: volunteer.ID, CreatedAt: sentAt, SentAt: &sentAt},
		{ID: uuid.NewString(), ThreadID: th.ID, Direction: api.DirInbound, Body: b.Reply, Status: api.StatusReceived, ProviderID: providerID(),
			RoutedTo: volunteer.ID, CreatedAt: replyAt},
	} {
		if err := tx.CreateMessage(ctx, m); err != nil {
			return err
		}
	}
	reason := api.BlockThreats
	if err := tx.AddBlock(ctx, store.Block{UserID: volunteer.ID, Phone: b.Phone, OrganizationID: camp.OrganizationID, ContactID: c.ID,
		Reason: reason, CreatedAt: blockedAt}); err != nil {
		return err
	}
	if err := tx.AddOptOut(ctx, store.OptOut{OrganizationID: camp.OrganizationID, Phone: b.Phone,
		Reason: optout.BlockedReason(reason), Source: store.OptOutBlocked, CreatedAt: blockedAt}); err != nil {
		return err
	}
	// Marked as an opt-out marks it (made opted out, it had no time to be
	// listed by in the Admin section's opt-outs).
	if err := tx.SetOptedOut(ctx, []string{th.ID}); err != nil {
		return err
	}
	return tx.AddAbuseReport(ctx, store.AbuseReport{ID: uuid.NewString(), CampaignID: camp.ID, ThreadID: th.ID, UserID: volunteer.ID,
		Reason: reason, Note: "Threatened me after the first text", CreatedAt: blockedAt})
}
