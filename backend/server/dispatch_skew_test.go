package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// TestRecoveryWithTheClockAheadSendsOnce: the server's clock ran ten
// minutes ahead of the provider's (a clock NTP steps back later) when a
// text was written, and a crash cut its call after the provider had
// created it. The provider dates the text ten minutes before our row
// does, so the lookup of texts since the row (less a minute's slack)
// missed it and the restart sent it a second time. Now a text with the
// same words that no message of ours holds, from a little before, keeps
// it from being sent again: it is unknown, for the admins.
func TestRecoveryWithTheClockAheadSendsOnce(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{log: zerolog.Nop()})
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	_, u := f.member("vera", cf)
	number := sendingNumber(f, cf, u)
	ct := cf.contacts[0]
	ahead := time.Now().UTC().Add(10 * time.Minute).Truncate(time.Microsecond)
	f.clock.Advance(ahead.Sub(f.clock.Now()))
	id := uuid.NewString()
	ctx := context.Background()
	f.update(func(tx store.Tx) error {
		if err := tx.CreateThread(ctx, store.Thread{ID: ct.ID, ActionID: cf.action.ID, CampaignID: cf.campaign.ID,
			OrganizationID: f.org.ID, OwnerID: u.ID, ContactPhone: ct.Phone, SendingNumber: number,
			LastMessageAt: ahead, CreatedAt: ahead}); err != nil {
			return err
		}
		return tx.CreateMessage(ctx, store.Message{ID: id, ThreadID: ct.ID, Direction: api.DirOutbound,
			Body: "Hi " + ct.FirstName, Status: api.StatusSending, Initial: true, SenderID: u.ID, CreatedAt: ahead})
	})
	// The cut call's create, dated by the provider's clock.
	if _, err := f.net.Send(ctx, sms.Outbound{From: number, To: ct.Phone, Body: "Hi " + ct.FirstName}); err != nil {
		t.Fatal(err)
	}
	recoverWith(t, f, f.faults, zerolog.Nop())
	if n := len(f.net.Sent()); n != 1 {
		t.Fatalf("the network holds %d texts, want 1", n)
	}
	if m := messageStatus(t, f, id); m.Status != api.StatusUnknown {
		t.Fatalf("stored %q (%q), want unknown", m.Status, m.Error)
	}
}

// TestLiveLookupWithTheClockAheadSendsOnce is the same on the live path:
// a call that timed out after the provider had created the text, looked
// up UnsureWait later by a server whose clock runs ten minutes ahead.
func TestLiveLookupWithTheClockAheadSendsOnce(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{log: zerolog.Nop(), unsureWait: time.Second})
	f.clock.Advance(time.Now().Add(10 * time.Minute).Sub(f.clock.Now()))
	// The clock is the wall's (the provider's dates are), so texting hours
	// must allow any hour of it: 09:00-21:00 refused the batch at night.
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 1, numbers: 1, hours: store.TextingHours{Start: "00:00", End: "24:00"}})
	f.faults.mu.Lock()
	f.faults.lateBy = 100 * time.Millisecond
	f.faults.mu.Unlock()
	res, id := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	f.drain()
	time.Sleep(300 * time.Millisecond) // a second create, if any, lands
	if n := len(f.net.Sent()); n != 1 {
		t.Fatalf("the network holds %d texts, want 1", n)
	}
	if m := messageStatus(t, f, id); m.Status != api.StatusUnknown {
		t.Fatalf("stored %q (%q), want unknown", m.Status, m.Error)
	}
}
