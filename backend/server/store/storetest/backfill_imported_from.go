package storetest

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// BeforeImportedFrom is the last migration before 0027 kept an import's
// file apart from its reason.
const BeforeImportedFrom = 26

// ImportedFromFixtureSQL fills a database migrated to BeforeImportedFrom
// (either dialect): an import's opt-out, a report's whose reason happens to
// read like one, and an import's of an older form.
var ImportedFromFixtureSQL = []string{
	`INSERT INTO organizations (id, name, created_at) VALUES ('fo', 'Org', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO opt_outs (organization_id, phone, reason, source, created_at) VALUES
		('fo', '+12025550101', 'imported from old list.csv', 'import', '2026-01-02T00:00:00.000000000Z'),
		('fo', '+12025550102', 'imported from x.csv', 'report', '2026-01-02T00:00:00.000000000Z'),
		('fo', '+12025550103', 'imported', 'import', '2026-01-02T00:00:00.000000000Z')`,
}

// CheckImportedFrom checks st, opened on ImportedFromFixtureSQL's database
// (and so migrated past 0027): the import's file is read out of its reason
// once, here; no other opt-out gets one, and every reason is as it was.
func CheckImportedFrom(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	err := st.View(ctx, func(tx store.Tx) error {
		for _, c := range []struct{ phone, reason, file string }{
			{"+12025550101", "imported from old list.csv", "old list.csv"},
			{"+12025550102", "imported from x.csv", ""},
			{"+12025550103", "imported", ""},
		} {
			o, err := tx.OptOutOf(ctx, "fo", c.phone)
			if err != nil {
				return err
			}
			if o.ImportedFrom != c.file || o.Reason != c.reason {
				t.Errorf("opt-out of %s after the migration: imported from %q, reason %q; want %q, %q", c.phone, o.ImportedFrom, o.Reason, c.file, c.reason)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
