package postgres_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationFeedsArchivedCampaigns is the SQLite test of the same name
// on PostgreSQL.
func TestMigrationFeedsArchivedCampaigns(t *testing.T) {
	storetest.CheckArchivedFed(t, migratedFrom(t, storetest.BeforeArchivedFed, storetest.ArchivedFixtureSQL))
}
