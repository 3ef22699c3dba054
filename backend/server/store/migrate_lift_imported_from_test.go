package store_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationKeepsLiftedImportsFile: migration 0029 fills the file of a
// lifted import's opt-out from before it (storetest.CheckLiftImportedFrom).
func TestMigrationKeepsLiftedImportsFile(t *testing.T) {
	storetest.CheckLiftImportedFrom(t, migratedFrom(t, storetest.BeforeLiftImportedFrom, storetest.LiftImportedFromFixtureSQL))
}
