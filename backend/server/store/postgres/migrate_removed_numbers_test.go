package postgres_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationGivesRemovedMembersNumbersBack: migration 0042 gives the sending numbers of
// members removed before it back (storetest.CheckRemovedNumbersBackfill).
func TestMigrationGivesRemovedMembersNumbersBack(t *testing.T) {
	storetest.CheckRemovedNumbersBackfill(t, migratedFrom(t, storetest.BeforeRemovedNumbers, storetest.RemovedNumbersFixtureSQL))
}
