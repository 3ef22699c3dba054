package storetest

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// BeforeArchivedFed is the last migration before 0021 fed the members of
// campaigns archived before it the campaign once more.
const BeforeArchivedFed = 20

// ArchivedFixtureSQL fills a database migrated to BeforeArchivedFed
// (either dialect): an archived campaign with a volunteer and an admin, an
// active one with the volunteer.
var ArchivedFixtureSQL = []string{
	`INSERT INTO organizations (id, name, created_at) VALUES ('ao', 'Org', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO users (id, name, email, password_hash, created_at) VALUES
		('avol', 'Val Volunteer', 'avol@example.org', 'h', '2026-01-01T00:00:00.000000000Z'),
		('aadm', 'Ada Admin', 'aadm@example.org', 'h', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO campaigns (id, organization_id, name, join_code, active, created_at) VALUES
		('aold', 'ao', 'Old season', '200001', 0, '2026-01-01T00:00:00.000000000Z'),
		('anew', 'ao', 'New season', '200002', 1, '2026-06-01T00:00:00.000000000Z')`,
	`INSERT INTO memberships (campaign_id, user_id, role, created_at) VALUES
		('aold', 'avol', 'volunteer', '2026-01-01T00:00:00.000000000Z'),
		('aold', 'aadm', 'admin', '2026-01-01T00:00:00.000000000Z'),
		('anew', 'avol', 'volunteer', '2026-06-01T00:00:00.000000000Z')`,
}

// CheckArchivedFed checks st, opened on ArchivedFixtureSQL's database (and
// so migrated past 0021): each member of the archived campaign has it in
// their feed, once; the active campaign is fed to nobody.
func CheckArchivedFed(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	err := st.View(ctx, func(tx store.Tx) error {
		for _, user := range []string{"avol", "aadm"} {
			rows, err := tx.FeedAfter(ctx, user, 0, 100)
			if err != nil {
				return err
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.Kind+"/"+r.EntityID)
			}
			if len(got) != 1 || got[0] != "campaign/aold" {
				t.Errorf("%s's feed after the migration: %v, want the archived campaign once", user, got)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
