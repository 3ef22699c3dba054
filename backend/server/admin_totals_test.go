package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// TestAdminOverviewTotals: each Admin list holds the newest 200 rows; the
// overview counts them all, so the headings are right past 200, and a row
// handled leaves the total.
func TestAdminOverviewTotals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	var to string
	f.view(func(tx store.Tx) error {
		ns, err := tx.ListSendingNumbers(ctx, cf.campaign.ID)
		if len(ns) > 0 {
			to = ns[0].Phone
		}
		return err
	})
	admin := f.adminClient()
	for i := range 250 {
		f.clock.Advance(time.Second)
		if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: uuid.NewString(), From: fmt.Sprintf("+1312555%04d", i), To: to, Body: "who is this?", ReceivedAt: f.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		if i == 9 {
			ov, err := admin.AdminOverview(ctx, cf.campaign.ID)
			if err != nil || len(ov.Unroutable) != 10 || ov.UnroutableOpen != 10 || ov.AbuseReportsOpen != 0 || ov.OptInsOpen != 0 || ov.ReassignedTotal != 0 {
				t.Fatalf("overview under the cap: %d rows, totals %d %d %d %d (%v)", len(ov.Unroutable), ov.UnroutableOpen, ov.AbuseReportsOpen, ov.OptInsOpen, ov.ReassignedTotal, err)
			}
		}
	}
	ov, err := admin.AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.Unroutable) != 200 || ov.UnroutableOpen != 250 {
		t.Fatalf("250 open texts: %d rows, open %d (%v); want the newest 200 and 250", len(ov.Unroutable), ov.UnroutableOpen, err)
	}
	if _, err := admin.SetUnroutableHandled(ctx, cf.campaign.ID, ov.Unroutable[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if ov, err = admin.AdminOverview(ctx, cf.campaign.ID); err != nil || ov.UnroutableOpen != 249 || ov.UnroutableHandled != 1 || len(ov.Unroutable) != 200 {
		t.Fatalf("after one handled: %d rows, open %d, handled %d (%v)", len(ov.Unroutable), ov.UnroutableOpen, ov.UnroutableHandled, err)
	}
}
