package store_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationFoldsCampaignNames: migration 0039 and Open fold the names
// and issues of campaigns from before (storetest.CheckFoldedSearchBackfill).
func TestMigrationFoldsCampaignNames(t *testing.T) {
	storetest.CheckFoldedSearchBackfill(t, migratedFrom(t, storetest.BeforeFoldedSearch, storetest.FoldedSearchFixtureSQL))
}
