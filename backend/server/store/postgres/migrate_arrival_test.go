package postgres_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationRecordsArrival is the SQLite test of the same name on
// PostgreSQL: migration 0011 backfills whom and which campaign the replies,
// unroutable texts and opt-ins stored before it reached.
func TestMigrationRecordsArrival(t *testing.T) {
	storetest.CheckArrivalBackfill(t, migratedFrom(t, storetest.BeforeArrival, storetest.ArrivalFixtureSQL))
}
