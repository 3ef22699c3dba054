package storetest

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// BeforeLiftImportedFrom is the last migration before 0029 kept a lifted
// opt-out's import file apart from its reason.
const BeforeLiftImportedFrom = 28

// LiftImportedFromFixtureSQL fills a database migrated to
// BeforeLiftImportedFrom (either dialect): a lifted import's opt-out, a
// lifted report's whose reason happens to read like one, and a lifted
// import's of an older form.
var LiftImportedFromFixtureSQL = []string{
	`INSERT INTO organizations (id, name, created_at) VALUES ('lo', 'Org', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO users (id, name, email, password_hash, created_at) VALUES
		('ladm', 'Ada Admin', 'ladm@example.org', 'h', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO opt_out_lifts (id, organization_id, phone, lifted_by, lifted_at, reason, opted_out_at, source) VALUES
		('l1', 'lo', '+12025550101', 'ladm', '2026-01-04T00:00:00.000000000Z', 'imported from old list.csv', '2026-01-02T00:00:00.000000000Z', 'import'),
		('l2', 'lo', '+12025550102', 'ladm', '2026-01-04T00:00:00.000000000Z', 'imported from x.csv', '2026-01-02T00:00:00.000000000Z', 'report'),
		('l3', 'lo', '+12025550103', 'ladm', '2026-01-04T00:00:00.000000000Z', 'imported', '2026-01-02T00:00:00.000000000Z', 'import')`,
}

// CheckLiftImportedFrom checks st, opened on LiftImportedFromFixtureSQL's
// database (and so migrated past 0029): the lifted import's file is read
// out of its reason once, here; no other lift gets one, and every reason
// is as it was.
func CheckLiftImportedFrom(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	want := map[string]string{"+12025550101": "old list.csv", "+12025550102": "", "+12025550103": ""}
	reasons := map[string]string{"+12025550101": "imported from old list.csv", "+12025550102": "imported from x.csv", "+12025550103": "imported"}
	n := 0
	err := st.View(ctx, func(tx store.Tx) error {
		return tx.EachLiftedOptOut(ctx, "lo", func(l store.LiftedOptOut) error {
			n++
			if l.ImportedFrom != want[l.Phone] || l.Reason != reasons[l.Phone] {
				t.Errorf("lift of %s after the migration: imported from %q, reason %q; want %q, %q", l.Phone, l.ImportedFrom, l.Reason, want[l.Phone], reasons[l.Phone])
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(want) {
		t.Errorf("%d lifts after the migration, want %d", n, len(want))
	}
}
