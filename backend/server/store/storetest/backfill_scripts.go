package storetest

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// BeforeScriptsRetiredAt is the last migration before 0023 gave actions
// scripts_retired_at, set from the versions kept before it.
const BeforeScriptsRetiredAt = 22

// ScriptsRetiredFixtureSQL fills a database migrated to
// BeforeScriptsRetiredAt (either dialect): an action with versions of its
// response scripts retired at two times, another with none.
var ScriptsRetiredFixtureSQL = []string{
	`INSERT INTO organizations (id, name, created_at) VALUES ('so', 'Org', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO users (id, name, email, password_hash, created_at) VALUES
		('sadm', 'Ada Admin', 'sadm@example.org', 'h', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO campaigns (id, organization_id, name, join_code, active, created_at) VALUES
		('scamp', 'so', 'Season', '300001', 1, '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO actions (id, campaign_id, type, title, allow_free_text, creator_id, created_at) VALUES
		('sedited', 'scamp', 'p2p', 'Edited', 0, 'sadm', '2026-01-01T00:00:00.000000000Z'),
		('sfresh', 'scamp', 'p2p', 'Fresh', 0, 'sadm', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO response_script_versions (action_id, script_id, body, tags, retired_at) VALUES
		('sedited', 'r1', 'Old', '[]', '2026-02-01T00:00:00.000000000Z'),
		('sedited', 'r2', 'Older', '[]', '2026-01-15T00:00:00.000000000Z')`,
}

// CheckScriptsRetiredBackfill checks st, opened on
// ScriptsRetiredFixtureSQL's database (and so migrated past 0023): the
// edited action's scripts were last retired at its latest kept version,
// the other's never.
func CheckScriptsRetiredBackfill(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	err := st.View(ctx, func(tx store.Tx) error {
		edited, err := tx.ActionByID(ctx, "sedited")
		if err != nil {
			return err
		}
		if got := edited.ScriptsRetiredAt; got == nil || store.TimeText(*got) != "2026-02-01T00:00:00.000000000Z" {
			t.Errorf("the edited action's scripts last retired at %v, want 2026-02-01 (its latest version)", got)
		}
		fresh, err := tx.ActionByID(ctx, "sfresh")
		if err != nil {
			return err
		}
		if fresh.ScriptsRetiredAt != nil {
			t.Errorf("an action with no versions kept has its scripts retired at %v, want never", fresh.ScriptsRetiredAt)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
