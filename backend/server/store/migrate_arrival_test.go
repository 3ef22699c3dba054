package store_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationRecordsArrival: migration 0011 gives the replies, unroutable
// texts and opt-ins stored before it whom and which campaign they reached
// (storetest.CheckArrivalBackfill says how).
func TestMigrationRecordsArrival(t *testing.T) {
	storetest.CheckArrivalBackfill(t, migratedFrom(t, storetest.BeforeArrival, storetest.ArrivalFixtureSQL))
}
