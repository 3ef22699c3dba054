package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/sms"
)

// TestTwoServersGivenUpTextLookedUpLater: server A stopped cleanly in the
// wait that follows a provider call that went unanswered, and so gave its
// text up; the provider finishes creating that text 5.5 s later. The
// running server takes the text over at its next look (within 5 s) but
// looks it up only UnsureWait after that, so it finds the text rather than
// send it a second time.
func TestTwoServersGivenUpTextLookedUpLater(t *testing.T) {
	pgtest.Require(t)
	f := newFixtureWith(t, fixtureOpts{log: zerolog.Nop(), unsureWait: 7 * time.Second})
	ctx := context.Background()
	cf, _, u, batch := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
	var numbers []store.SendingNumberInfo
	f.update(func(tx store.Tx) error {
		var err error
		numbers, err = tx.ListSendingNumbers(ctx, cf.campaign.ID)
		return err
	})
	a := batch.Assigned[0]
	text := sms.Outbound{From: numbers[0].Phone, To: a.Phone, Body: "Hi " + a.FirstName + ", will you vote?"}
	id := uuid.NewString()
	stopped := f.reopen()
	now := f.clock.Now()
	err := stopped.Update(ctx, func(tx store.Tx) error {
		th := store.Thread{ID: a.ContactID, ActionID: cf.action.ID, CampaignID: cf.campaign.ID, OrganizationID: f.org.ID,
			OwnerID: u.ID, ContactName: a.FirstName, ContactPhone: a.Phone, SendingNumber: text.From,
			LastMessageAt: now, CreatedAt: now}
		if err := tx.CreateThread(ctx, th); err != nil {
			return err
		}
		if err := tx.CreateMessage(ctx, store.Message{ID: id, ThreadID: th.ID, Direction: api.DirOutbound, Body: text.Body,
			Status: api.StatusQueued, Initial: true, SenderID: u.ID, CreatedAt: now}); err != nil {
			return err
		}
		// Claimed by server A: sending carries its instance key.
		return tx.SetMessageStatus(ctx, id, api.StatusSending, "", "", nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	// A clean stop gives the text up: any server may take it over at once.
	if err := stopped.Close(); err != nil {
		t.Fatal(err)
	}
	landed := make(chan error, 1)
	go func() {
		time.Sleep(5500 * time.Millisecond)
		// The unanswered call's create, without our key: a provider that
		// keeps no idempotency keys (Twilio's create) cannot tell.
		_, err := f.net.Send(ctx, text)
		landed <- err
	}()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		n, err := f.srv.Pending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d texts still queued or sending after 30 s", n)
		}
	}
	if err := <-landed; err != nil {
		t.Fatal(err)
	}
	if n := len(f.net.Sent()); n != 1 {
		t.Fatalf("the network holds %d texts, want 1", n)
	}
	if m := messageStatus(t, f, id); m.Status != api.StatusSent || m.ProviderID == "" {
		t.Fatalf("stored %q provider id %q; want sent with the late text's id", m.Status, m.ProviderID)
	}
}
