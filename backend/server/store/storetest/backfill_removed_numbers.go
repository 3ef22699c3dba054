package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// BeforeRemovedNumbers is the last migration before 0042 gave the
// sending numbers of members removed earlier back to the pool.
const BeforeRemovedNumbers = 41

// RemovedNumbersFixtureSQL fills a database migrated to
// BeforeRemovedNumbers (either dialect): three people on one number, one
// removed (rnvol), one removed and made a member again (rnback), one never
// removed (rnadm).
var RemovedNumbersFixtureSQL = []string{
	`INSERT INTO organizations (id, name, created_at) VALUES ('rno', 'Org', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO users (id, name, email, password_hash, created_at) VALUES
		('rnadm', 'Ada Admin', 'rnadm@example.org', 'h', '2026-01-01T00:00:00.000000000Z'),
		('rnvol', 'Vera Volunteer', 'rnvol@example.org', 'h', '2026-01-01T00:00:00.000000000Z'),
		('rnback', 'Ben Back', 'rnback@example.org', 'h', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO campaigns (id, organization_id, name, join_code, active, created_at) VALUES
		('rncamp', 'rno', 'Season', '300042', 1, '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO sending_numbers (phone, campaign_id, created_at) VALUES ('+12025550142', 'rncamp', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO memberships (campaign_id, user_id, role, created_at) VALUES
		('rncamp', 'rnadm', 'admin', '2026-01-01T00:00:00.000000000Z'),
		('rncamp', 'rnback', 'volunteer', '2026-01-03T00:00:00.000000000Z')`,
	`INSERT INTO removed_members (campaign_id, user_id, removed_at) VALUES
		('rncamp', 'rnvol', '2026-01-02T00:00:00.000000000Z'),
		('rncamp', 'rnback', '2026-01-02T00:00:00.000000000Z')`,
	`INSERT INTO number_assignments (campaign_id, user_id, phone, assigned_at) VALUES
		('rncamp', 'rnadm', '+12025550142', '2026-01-01T00:00:00.000000000Z'),
		('rncamp', 'rnvol', '+12025550142', '2026-01-01T00:00:00.000000000Z'),
		('rncamp', 'rnback', '+12025550142', '2026-01-01T00:00:00.000000000Z')`,
}

// CheckRemovedNumbersBackfill checks st, opened on
// RemovedNumbersFixtureSQL's database (and so migrated past 0042): the one
// removed and not a member again has no number, the other two keep theirs,
// and numbers list counts two texting from it.
func CheckRemovedNumbersBackfill(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	err := st.View(ctx, func(tx store.Tx) error {
		for user, want := range map[string]string{"rnadm": "+12025550142", "rnback": "+12025550142", "rnvol": ""} {
			got, err := tx.SendingNumber(ctx, "rncamp", user)
			if errors.Is(err, store.ErrNotFound) {
				err = nil
			}
			if err != nil {
				return err
			}
			if got != want {
				t.Errorf("%s's sending number after the migration: %q, want %q", user, got, want)
			}
		}
		nums, err := tx.ListSendingNumbers(ctx, "rncamp")
		if err != nil {
			return err
		}
		if len(nums) != 1 || nums[0].Volunteers != 2 {
			t.Errorf("numbers list after the migration: %+v, want one number with 2 texting from it", nums)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
