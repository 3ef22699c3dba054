package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var aheadTests = []test{
	{"send path/a first text's checks in one read", testInitialChecks},
	{"send path/an inbound text's route and checks in one read", testRouteInbound},
}

// testInitialChecks: InitialChecks answers what ContactByID, ActionByID
// and SendChecks answer, for the contact's own number and campaign.
func testInitialChecks(t *testing.T, st store.Store) {
	w := newWorld(t, st, "ahd", 3)
	var number string
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		number, err = tx.AssignSendingNumber(ctx, w.Campaign.ID, w.Volunteer.ID, t0)
		return err
	})
	since := at(time.Hour)
	checks := func(i int, msgID string) store.InitialCheck {
		t.Helper()
		return get(t, st, func(ctx context.Context, tx store.Tx) (store.InitialCheck, error) {
			return tx.InitialChecks(ctx, w.Contacts[i].ID, w.Volunteer.ID, msgID, since)
		})
	}
	got := checks(0, "ahd-msg")
	c := w.Contacts[0]
	if got.Contact.ID != c.ID || got.Contact.Phone != c.Phone || got.Contact.FirstName != c.FirstName ||
		got.Contact.Fields["ward"] != c.Fields["ward"] || got.Contact.ScriptIndex != c.ScriptIndex || got.Contact.State != store.ContactUnassigned {
		t.Errorf("contact = %+v, want %+v", got.Contact, c)
	}
	if got.CampaignID != w.Campaign.ID || len(got.Scripts) != 2 || got.Scripts[1] != w.Action.Scripts[1] || got.Hours != w.Action.TextingHours {
		t.Errorf("action part = %s %v %v, want %s %v %v", got.CampaignID, got.Scripts, got.Hours, w.Campaign.ID, w.Action.Scripts, w.Action.TextingHours)
	}
	if got.OrganizationID != w.Org.ID || got.CampaignName != w.Campaign.Name || got.Number != number || number == "" ||
		got.OptedOut || got.Blocked || got.RecentInitial || got.MessageIDTaken {
		t.Errorf("checks = %+v, want organization %s, campaign %q, number %s, nothing set", got.SendChecks, w.Org.ID, w.Campaign.Name, number)
	}

	th := w.thread(t, st, 0, w.Volunteer.ID)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateMessage(ctx, store.Message{ID: "ahd-msg", ThreadID: th.ID, Direction: dirOut, Body: "Hi", Status: statusQueued,
			Initial: true, SenderID: w.Volunteer.ID, CreatedAt: at(time.Hour)}); err != nil {
			return err
		}
		if err := tx.AddOptOut(ctx, store.OptOut{OrganizationID: w.Org.ID, Phone: w.Contacts[1].Phone, CreatedAt: t0}); err != nil {
			return err
		}
		return tx.AddBlock(ctx, store.Block{UserID: w.Volunteer.ID, Phone: w.Contacts[2].Phone, OrganizationID: w.Org.ID, CreatedAt: t0})
	})
	if got := checks(0, "ahd-msg"); !got.RecentInitial || !got.MessageIDTaken || got.OptedOut || got.Blocked {
		t.Errorf("contact 0 texted at 1h: %+v, want the 6-hour lock and the message id taken", got.SendChecks)
	}
	since = at(time.Hour + time.Second)
	if got := checks(0, "ahd-other"); got.RecentInitial || got.MessageIDTaken {
		t.Errorf("contact 0 texted before the window: %+v, want neither", got.SendChecks)
	}
	if got := checks(1, "ahd-other"); !got.OptedOut || got.Blocked {
		t.Errorf("contact 1 opted out: %+v", got.SendChecks)
	}
	if got := checks(2, "ahd-other"); got.OptedOut || !got.Blocked {
		t.Errorf("contact 2 blocked: %+v", got.SendChecks)
	}
	err := st.View(context.Background(), func(tx store.Tx) error {
		_, err := tx.InitialChecks(context.Background(), "ahd-nobody", w.Volunteer.ID, "m", since)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("checks of an unknown contact: %v, want ErrNotFound", err)
	}
}

// testRouteInbound: RouteInbound finds RouteThread's thread and reads the
// number's opt-out, the owner's block and archive, and whether the
// provider's id is stored, with it.
func testRouteInbound(t *testing.T, st store.Store) {
	w := newWorld(t, st, "rti", 2)
	provider := "SMrti-new"
	route := func(i int) (store.InboundRoute, error) {
		var r store.InboundRoute
		err := st.View(context.Background(), func(tx store.Tx) error {
			var err error
			r, err = tx.RouteInbound(context.Background(), w.Contacts[i].Phone, w.Number, provider)
			return err
		})
		return r, err
	}
	if _, err := route(0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("route with no thread: %v, want ErrNotFound", err)
	}
	th := w.thread(t, st, 0, w.Volunteer.ID)
	if _, err := route(0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("route to a thread never texted from the number: %v, want ErrNotFound", err)
	}
	out := at(time.Hour)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.ThreadActivity(ctx, th.ID, out, nil, &out, &out)
	})
	r, err := route(0)
	if err != nil {
		t.Fatal(err)
	}
	if r.Thread.ID != th.ID || r.Thread.OwnerID != w.Volunteer.ID || r.Thread.LastOutboundAt == nil || !r.Thread.LastOutboundAt.Equal(out) ||
		r.OptedOut || r.Blocked || r.Archived || r.Seen {
		t.Errorf("route = %+v, want thread %s texted at %v, nothing set", r, th.ID, out)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.CreateMessage(ctx, store.Message{ID: "rti-reply", ThreadID: th.ID, Direction: "in", Body: "yes",
			Status: "received", ProviderID: "SMrti-seen", CreatedAt: out})
	})
	provider = "SMrti-seen"
	if r, err := route(0); err != nil || !r.Seen || r.Thread.ID != th.ID {
		t.Errorf("route of a stored provider id = %+v, %v; want it seen", r, err)
	}
	provider = "SMrti-new"
	if r, err := route(0); err != nil || r.Seen {
		t.Errorf("route of a new provider id = %+v, %v; want it not seen", r, err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.PutInboxState(ctx, store.InboxState{UserID: w.Volunteer.ID, ThreadID: th.ID, Archived: true, ArchivedReason: "user"}); err != nil {
			return err
		}
		if err := tx.AddOptOut(ctx, store.OptOut{OrganizationID: w.Org.ID, Phone: w.Contacts[0].Phone, CreatedAt: t0}); err != nil {
			return err
		}
		return tx.AddBlock(ctx, store.Block{UserID: w.Volunteer.ID, Phone: w.Contacts[0].Phone, OrganizationID: w.Org.ID, CreatedAt: t0})
	})
	if r, err := route(0); err != nil || !r.OptedOut || !r.Blocked || !r.Archived {
		t.Errorf("route after archive, opt-out and block = %+v, %v; want all three", r, err)
	}
}
