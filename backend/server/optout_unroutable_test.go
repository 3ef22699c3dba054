package server_test

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// TestUnroutableStopOptsOut: a STOP that no conversation claims (the
// contact was handed out but not texted yet) still opts the number out of
// the organization: it is kept as unroutable for the admins, and the first
// text to that contact is then refused. Other words from a stranger opt
// nobody out.
func TestUnroutableStopOptsOut(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	c, _, from := texted(t, f, cf, 1)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	var later api.Assignment
	for _, a := range b.Assigned {
		if a.Phone != cf.contacts[0].Phone && later.ContactID == "" {
			later = a
		}
	}
	if later.ContactID == "" {
		t.Fatalf("no contact left untexted in %+v", b.Assigned)
	}
	opted := func(phone string) bool {
		var yes bool
		f.view(func(tx store.Tx) error {
			var err error
			yes, err = tx.IsOptedOut(ctx, f.org.ID, phone)
			return err
		})
		return yes
	}

	if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-Q", From: "+13125550000", To: from, Body: "who is this?", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if opted("+13125550000") {
		t.Fatal("a stranger's question opted them out")
	}
	if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-S", From: later.Phone, To: from, Body: " Stop ", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if !opted(later.Phone) {
		t.Fatal("an unroutable STOP did not opt the number out")
	}
	var kept []store.Unroutable
	f.view(func(tx store.Tx) error {
		var err error
		kept, err = tx.ListUnroutable(ctx, 10)
		return err
	})
	if len(kept) != 2 {
		t.Fatalf("unroutable = %+v, want the question and the STOP kept", kept)
	}
	res, _ := sendInitial(t, c, later.ContactID)
	wantRejected(t, res, api.RejectOptedOut)

	// The same STOP again (a provider retry) changes nothing and fails nothing.
	if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-S", From: later.Phone, To: from, Body: " Stop ", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
}
