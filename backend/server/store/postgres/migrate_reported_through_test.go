package postgres_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationReportedThrough is the SQLite test of the same name on
// PostgreSQL.
func TestMigrationReportedThrough(t *testing.T) {
	storetest.CheckReportedThrough(t, migratedFrom(t, storetest.BeforeReportedThrough, storetest.ReportedThroughFixtureSQL))
}
