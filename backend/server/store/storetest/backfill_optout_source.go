package storetest

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// BeforeOptOutSource is the last migration before 0024 recorded where each
// opt-out came from and let a lift have no opt-in.
const BeforeOptOutSource = 23

// OptOutSourceFixtureSQL fills a database migrated to BeforeOptOutSource
// (either dialect): a number a report opted out, and one lifted on a START.
var OptOutSourceFixtureSQL = []string{
	`INSERT INTO organizations (id, name, created_at) VALUES ('so', 'Org', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO users (id, name, email, password_hash, created_at) VALUES
		('sadm', 'Ada Admin', 'sadm@example.org', 'h', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO opt_outs (organization_id, phone, reason, created_at) VALUES
		('so', '+12025550101', 'reported by volunteer', '2026-01-02T00:00:00.000000000Z')`,
	`INSERT INTO opt_ins (id, organization_id, phone, message_id, body, created_at) VALUES
		('sin', 'so', '+12025550102', 'sm', 'START', '2026-01-03T00:00:00.000000000Z')`,
	`INSERT INTO opt_out_lifts (id, organization_id, phone, opt_in_id, lifted_by, lifted_at, reason, opted_out_at) VALUES
		('sl', 'so', '+12025550102', 'sin', 'sadm', '2026-01-04T00:00:00.000000000Z', 'keyword: STOP', '2026-01-01T00:00:00.000000000Z')`,
}

// CheckOptOutSource checks st, opened on OptOutSourceFixtureSQL's database
// (and so migrated past 0024): the opt-out from before has no source (not
// a report's as far as anyone knows: nobody undoes it), and the lift made
// on a START is kept, listed with its START.
func CheckOptOutSource(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	err := st.View(ctx, func(tx store.Tx) error {
		o, err := tx.OptOutOf(ctx, "so", "+12025550101")
		if err != nil {
			return err
		}
		if o.Source != "" || o.Reason != "reported by volunteer" {
			t.Errorf("the opt-out from before the migration %+v, want no source", o)
		}
		var lifts []store.LiftedOptOut
		if err := tx.EachLiftedOptOut(ctx, "so", func(l store.LiftedOptOut) error { lifts = append(lifts, l); return nil }); err != nil {
			return err
		}
		if len(lifts) != 1 || lifts[0].StartBody != "START" || lifts[0].LiftedByName != "Ada Admin" || lifts[0].Reason != "keyword: STOP" {
			t.Errorf("lifts after the migration %+v, want the one on a START", lifts)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
