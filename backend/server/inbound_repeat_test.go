package server_test

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// TestInboundRepeatKeptUnroutableFirst: the same inbound text (one
// MessageSid) delivered twice: the first time no thread claims it (kept
// unroutable), by the second a first text has gone out from that number. It is stored once: the repeat is not a
// new reply in the thread.
func TestInboundRepeatKeptUnroutableFirst(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, _ := f.member("vera", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := b.Assigned[0]
	var number string
	f.view(func(tx store.Tx) error {
		ns, err := tx.ListSendingNumbers(ctx, cf.campaign.ID)
		if err == nil && len(ns) > 0 {
			number = ns[0].Phone
		}
		return err
	})
	in := sms.Inbound{ProviderID: "SM-repeat", From: a.Phone, To: number, Body: "Who is this?", ReceivedAt: f.clock.Now()}
	if err := f.srv.Receive(ctx, in); err != nil {
		t.Fatal(err)
	}
	res, _ := sendInitial(t, c, a.ContactID)
	wantApplied(t, res)
	f.drain()
	if err := f.srv.Receive(ctx, in); err != nil {
		t.Fatal(err)
	}
	var unroutable, inThread int
	f.view(func(tx store.Tx) error {
		us, err := tx.ListUnroutable(ctx, 10)
		for _, u := range us {
			if u.ProviderID == "SM-repeat" {
				unroutable++
			}
		}
		if err != nil {
			return err
		}
		if _, err := tx.MessageByProviderID(ctx, "SM-repeat"); err == nil {
			inThread++
		}
		return nil
	})
	if unroutable+inThread != 1 {
		t.Errorf("one inbound text stored %d times (%d unroutable, %d in the thread)", unroutable+inThread, unroutable, inThread)
	}
}
