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

// strangerText is a text to the demo's first number from someone nobody in
// the campaign texted: no conversation claims it, so the organizer finds it
// under Unroutable texts (as Twilio delivers such texts to any number).
// It runs to several lines, as such texts do; the Admin section's row shows
// its start and its details the whole of it.
const strangerText = "Hi, I found this number on a flyer at the library. Is this the Demo for Democracy office?\n" +
	"I'd like to help on weekends but I don't have a car. Can someone call me back after 6?"

// StrangerPhone is who sent strangerText.
const StrangerPhone = "+13125550199"

// seedUnroutable keeps strangerText as the server keeps any unroutable text:
// with the campaign whose pool held the number when it came, whose admins
// alone see it.
func seedUnroutable(ctx context.Context, tx store.Tx, campaignID string, now time.Time) error {
	return tx.AddUnroutable(ctx, store.Unroutable{ID: uuid.NewString(), From: StrangerPhone, To: SendingNumbers()[0],
		Body: strangerText, ReceivedAt: now.Add(-40 * time.Minute), CampaignID: campaignID})
}

// optInContact is the demo's opt-in: a contact of the organizer's who
// texted STOP, then START weeks later in the same conversation, so the
// organizer's Admin section has an opt-in to decide on (nobody is texted
// again on a START alone) and a conversation to open from it.
var optInContact = struct{ First, Last, Phone string }{"Ida", "Wells", "+16175550197"}

// seedOptIn keeps that conversation as the server would have: the first
// text, the STOP (an opt-out of the organization), and the START kept as
// an opt-in of the campaign. The organizer read the STOP back then; a
// START from an opted-out contact is not new work (inbox.ReplyIsNewWork),
// so the thread is read and its times are the STOP's.
func seedOptIn(ctx context.Context, tx store.Tx, camp store.Campaign, a store.Action, organizerID string, now time.Time) error {
	number, err := tx.AssignSendingNumber(ctx, camp.ID, organizerID, now)
	if err != nil {
		return fmt.Errorf("sending number for the demo organizer: %w", err)
	}
	sentAt := now.Add(-26 * time.Hour)
	stopAt, startAt := sentAt.Add(4*time.Minute), now.Add(-25*time.Minute)
	c := store.Contact{ID: uuid.NewString(), ActionID: a.ID, FirstName: optInContact.First, LastName: optInContact.Last,
		Phone: optInContact.Phone, Fields: map[string]string{}, State: store.ContactTexted,
		AssignedTo: organizerID, AssignedAt: &sentAt, CreatedAt: sentAt.Add(-time.Minute)}
	if err := tx.CreateContact(ctx, c); err != nil {
		return err
	}
	th := store.Thread{ID: c.ID, ActionID: a.ID, CampaignID: camp.ID, OrganizationID: camp.OrganizationID, OwnerID: organizerID,
		ContactName: c.FirstName + " " + c.LastName, ContactPhone: c.Phone, SendingNumber: number, OptedOut: true,
		LastMessageAt: stopAt, LastInboundAt: &stopAt, LastOutboundAt: &sentAt, CreatedAt: sentAt}
	if err := tx.CreateThread(ctx, th); err != nil {
		return err
	}
	organizer, err := tx.UserByID(ctx, organizerID)
	if err != nil {
		return err
	}
	body, err := texting.Render(a.Scripts[0], texting.Contact{FirstName: c.FirstName, LastName: c.LastName, Fields: c.Fields},
		texting.Volunteer{Name: organizer.Name})
	if err != nil {
		return fmt.Errorf("demo: render the opt-in's first text: %w", err)
	}
	msgs := []store.Message{
		{ID: uuid.NewString(), ThreadID: th.ID, Direction: api.DirOutbound, Body: body, Status: api.StatusDelivered, ProviderID: providerID(),
			Initial: true, SenderID: organizerID, CreatedAt: sentAt, SentAt: &sentAt},
		{ID: uuid.NewString(), ThreadID: th.ID, Direction: api.DirInbound, Body: "STOP", Status: api.StatusReceived, ProviderID: providerID(),
			RoutedTo: organizerID, CreatedAt: stopAt},
		{ID: uuid.NewString(), ThreadID: th.ID, Direction: api.DirInbound, Body: "START", Status: api.StatusReceived, ProviderID: providerID(),
			RoutedTo: organizerID, CreatedAt: startAt},
	}
	for _, m := range msgs {
		if err := tx.CreateMessage(ctx, m); err != nil {
			return err
		}
	}
	if err := tx.AddOptOut(ctx, store.OptOut{OrganizationID: camp.OrganizationID, Phone: c.Phone, Reason: optout.KeywordReason("STOP"),
		SourceMessageID: msgs[1].ID, Source: store.OptOutContact, CreatedAt: stopAt}); err != nil {
		return err
	}
	// Marked as an opt-out marks it (made opted out, it had no time to be
	// listed by in the Admin section's opt-outs).
	if err := tx.SetOptedOut(ctx, []string{th.ID}); err != nil {
		return err
	}
	if err := tx.AddOptIn(ctx, store.OptIn{ID: uuid.NewString(), OrganizationID: camp.OrganizationID, CampaignID: camp.ID,
		Phone: c.Phone, MessageID: msgs[2].ID, Body: msgs[2].Body, CreatedAt: startAt}); err != nil {
		return err
	}
	if err := tx.PutInboxState(ctx, store.InboxState{UserID: organizerID, ThreadID: th.ID, LastReadAt: &startAt}); err != nil {
		return err
	}
	if _, err := tx.AppendFeed(ctx, organizerID, api.KindThread, th.ID, now); err != nil {
		return err
	}
	for _, m := range msgs {
		if _, err := tx.AppendFeed(ctx, organizerID, api.KindMessage, m.ID, now); err != nil {
			return err
		}
	}
	return nil
}
