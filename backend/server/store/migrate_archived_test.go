package store_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationFeedsArchivedCampaigns: migration 0021 feeds the members of
// a campaign archived before it the campaign once more, so their apps learn
// it is archived (storetest.CheckArchivedFed says how).
func TestMigrationFeedsArchivedCampaigns(t *testing.T) {
	storetest.CheckArchivedFed(t, migratedFrom(t, storetest.BeforeArchivedFed, storetest.ArchivedFixtureSQL))
}
