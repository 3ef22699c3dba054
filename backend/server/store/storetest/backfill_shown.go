package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// BeforeShownFields is the last migration before 0037 gave actions
// shown_fields, set to the columns they had.
const BeforeShownFields = 36

// ShownFieldsFixtureSQL fills a database migrated to BeforeShownFields
// (either dialect): an action whose contacts have two extra columns,
// another with none.
var ShownFieldsFixtureSQL = []string{
	`INSERT INTO organizations (id, name, created_at) VALUES ('so', 'Org', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO users (id, name, email, password_hash, created_at) VALUES
		('sadm', 'Ada Admin', 'sadm@example.org', 'h', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO campaigns (id, organization_id, name, join_code, active, created_at) VALUES
		('scamp', 'so', 'Season', '300001', 1, '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO actions (id, campaign_id, type, title, allow_free_text, creator_id, created_at, contact_fields) VALUES
		('scols', 'scamp', 'p2p', 'Columns', 0, 'sadm', '2026-01-01T00:00:00.000000000Z', '["precinct","party"]'),
		('sbare', 'scamp', 'p2p', 'Bare', 0, 'sadm', '2026-01-01T00:00:00.000000000Z', '[]')`,
}

// CheckShownFieldsBackfill checks st, opened on ShownFieldsFixtureSQL's
// database (and so migrated past 0037): an action from before shows every
// column it had, as it did, until its campaign file says otherwise.
func CheckShownFieldsBackfill(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	err := st.View(ctx, func(tx store.Tx) error {
		for id, want := range map[string][]string{"scols": {"precinct", "party"}, "sbare": nil} {
			a, err := tx.ActionByID(ctx, id)
			if err != nil {
				return err
			}
			if !slices.Equal(a.ShownFields, want) && !(len(a.ShownFields) == 0 && len(want) == 0) {
				t.Errorf("action %s shows %v after the migration, want %v (the columns it had)", id, a.ShownFields, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
